//! The patrol game (R6): strong Stackelberg equilibria of the patrol-planning game and the
//! sampling of unpredictable patrol routes with exact marginals. Pure math with no dependency
//! of ours; the risk calendar in `baove-core` supplies the payoffs. Its solver arrives with the
//! patrol-planning issue; the crate exists now so that the workspace has its final shape.

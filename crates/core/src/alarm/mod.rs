//! Alarms from devices (R9–R10): the normalised event envelope, the device formats, arming and
//! the alarm rules.

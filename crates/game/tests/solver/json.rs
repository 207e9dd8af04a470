//! The JSON interface: solutions of both models, the seed, and every rejection.

use baove_game::{GameError, solve_json};
use serde_json::{Value, json};

fn target(zone: &str, slot: u32, uau: f64, uac: f64) -> Value {
    json!({"zone": zone, "slot": slot, "attacker_reward": uau, "attacker_penalty": uac,
           "defender_reward": 1.0, "defender_penalty": -uau})
}

fn site() -> Value {
    json!({
        "slots": 4, "guards": 1, "post": "gate",
        "zones": [{"id": "gate"}, {"id": "yard"}, {"id": "store"}],
        "edges": [["gate", "yard"], ["yard", "store"]],
        "targets": [target("yard", 1, 10.0, 0.0), target("store", 2, 8.0, 0.0), target("yard", 3, 6.0, 0.0)]
    })
}

fn solve(instance: &Value) -> Result<Value, GameError> {
    solve_json(&instance.to_string()).map(|out| serde_json::from_str(&out).unwrap())
}

fn with(mut instance: Value, key: &str, value: Value) -> Value {
    instance[key] = value;
    instance
}

#[test]
fn a_route_instance_solves_to_coverage_holes_and_flow_without_routes_unless_seeded() {
    let out = solve(&site()).unwrap();
    assert_eq!(out["model"], "routes");
    // One guard, one route through yard@1, store@2, yard@3: the minimax inspects all three
    // with probability 1 → the attacker gets at most max Uac = 0.
    assert_eq!(out["attacker_value"], 0.0);
    assert_eq!(out["coverage"].as_array().unwrap().len(), 3);
    assert_eq!(out["coverage"][0], json!({"zone": "yard", "slot": 1, "p": 1.0}));
    assert_eq!(out["holes"], json!([]));
    assert!(out["flow"].as_array().unwrap().iter().all(|m| m["f"].as_f64().unwrap() > 0.0));
    assert!(out.get("routes").is_none() && out.get("inspections").is_none());

    let out = solve(&with(site(), "seed", json!(7))).unwrap();
    assert_eq!(out["routes"], json!([["gate", "yard", "store", "yard", "gate"]]));
    assert_eq!(out["inspections"], json!([[1, 2, 3]]));
}

#[test]
fn the_same_seed_gives_the_same_json() {
    let instance = with(with(site(), "guards", json!(2)), "seed", json!(31));
    assert_eq!(solve_json(&instance.to_string()).unwrap(), solve_json(&instance.to_string()).unwrap());
}

#[test]
fn unreachable_targets_are_listed_as_holes() {
    let mut instance = site();
    instance["targets"].as_array_mut().unwrap().push(target("store", 1, 50.0, 0.0));
    let out = solve(&instance).unwrap();
    assert_eq!(out["holes"], json!([{"zone": "store", "slot": 1}]));
    assert_eq!(out["coverage"][3]["p"], 0.0);
    assert_eq!(out["attacker_value"], 50.0);
}

#[test]
fn a_singleton_instance_solves_and_a_seed_adds_one_assignment() {
    let instance = json!({
        "guards": 1,
        "targets": [
            {"id": "a", "attacker_reward": 10.0, "attacker_penalty": 0.0, "defender_reward": 1.0, "defender_penalty": -10.0},
            {"id": "b", "attacker_reward": 5.0, "attacker_penalty": 0.0, "defender_reward": 1.0, "defender_penalty": -5.0}
        ]
    });
    let out = solve(&instance).unwrap();
    assert_eq!(out["model"], "singleton");
    assert!((out["attacker_value"].as_f64().unwrap() - 10.0 / 3.0).abs() < 1e-12);
    assert_eq!(out["attacked"], json!({"id": "a"}));
    assert_eq!(out["coverage"][1]["id"], "b");
    assert!(out.get("assignment").is_none() && out.get("routes").is_none());
    let out = solve(&with(instance, "seed", json!(1))).unwrap();
    assert_eq!(out["assignment"].as_array().unwrap().len(), 1);
}

fn rejected(instance: Value) -> GameError {
    solve(&instance).unwrap_err()
}

#[test]
fn payoffs_that_are_not_origami_class_are_rejected_naming_the_target() {
    let mut instance = site();
    instance["targets"][1]["attacker_penalty"] = json!(9.0);
    assert_eq!(
        rejected(instance),
        GameError::NotOrigamiClass {
            target: "store@2".into(),
            attacker_reward: 8.0,
            attacker_penalty: 9.0,
            defender_reward: 1.0,
            defender_penalty: -8.0
        }
    );
}

#[test]
fn non_numbers_and_malformed_text_are_invalid_json() {
    assert!(matches!(solve_json("{\"guards\": 1, \"targets\": [NaN]}"), Err(GameError::InvalidJson { line: 1, .. })));
    assert!(matches!(solve_json("not json"), Err(GameError::InvalidJson { .. })));
    assert!(matches!(rejected(with(site(), "gaurds", json!(2))), GameError::InvalidJson { .. }));
    let mut instance = site();
    instance["targets"][0]["attacker_reward"] = json!("high");
    assert!(matches!(rejected(instance), GameError::InvalidJson { .. }));
}

#[test]
fn a_disconnected_post_is_rejected() {
    let instance = with(site(), "edges", json!([["yard", "store"]]));
    assert_eq!(rejected(instance), GameError::PostDisconnected { post: "gate".into(), zone: "yard".into() });
}

#[test]
fn zero_guards_zero_slots_and_no_targets_are_rejected() {
    assert_eq!(rejected(with(site(), "guards", json!(0))), GameError::NoGuards);
    assert_eq!(rejected(with(site(), "slots", json!(0))), GameError::NoSlots);
    assert_eq!(rejected(with(site(), "targets", json!([]))), GameError::NoTargets);
    assert_eq!(
        rejected(json!({"guards": 0, "targets": [{"id": "a", "attacker_reward": 1.0,
        "attacker_penalty": 0.0, "defender_reward": 1.0, "defender_penalty": 0.0}]})),
        GameError::NoGuards
    );
}

#[test]
fn unknown_zones_in_edges_targets_and_the_post_are_rejected() {
    assert_eq!(
        rejected(with(site(), "edges", json!([["gate", "yard"], ["yard", "roof"]]))),
        GameError::UnknownZone { zone: "roof".into(), place: "edge" }
    );
    let mut instance = site();
    instance["targets"][2]["zone"] = json!("roof");
    assert_eq!(rejected(instance), GameError::UnknownZone { zone: "roof".into(), place: "target" });
    assert_eq!(
        rejected(with(site(), "post", json!("roof"))),
        GameError::UnknownZone { zone: "roof".into(), place: "post" }
    );
}

#[test]
fn duplicate_zones_targets_and_edges_and_self_loops_are_rejected() {
    let zones = json!([{"id": "gate"}, {"id": "yard"}, {"id": "store"}, {"id": "yard"}]);
    assert_eq!(rejected(with(site(), "zones", zones)), GameError::DuplicateZone { zone: "yard".into() });
    let mut instance = site();
    instance["targets"].as_array_mut().unwrap().push(target("yard", 1, 3.0, 0.0));
    assert_eq!(rejected(instance), GameError::DuplicateTarget { target: "yard@1".into() });
    let edges = json!([["gate", "yard"], ["yard", "store"], ["store", "yard"]]);
    assert_eq!(
        rejected(with(site(), "edges", edges)),
        GameError::DuplicateEdge { a: "store".into(), b: "yard".into() }
    );
    let edges = json!([["gate", "yard"], ["yard", "store"], ["store", "store"]]);
    assert_eq!(rejected(with(site(), "edges", edges)), GameError::SelfLoop { zone: "store".into() });
    assert_eq!(
        rejected(with(site(), "zones", json!([{"id": "gate"}, {"id": ""}]))),
        GameError::EmptyId { place: "zone" }
    );
}

#[test]
fn a_slot_past_the_night_is_rejected() {
    let mut instance = site();
    instance["targets"][0]["slot"] = json!(5);
    assert_eq!(rejected(instance), GameError::SlotOutOfRange { target: "yard@5".into(), slot: 5, slots: 4 });
}

#[test]
fn fields_of_the_other_model_are_rejected() {
    let mut instance = site();
    instance["targets"][0]["id"] = json!("x");
    assert_eq!(
        rejected(instance),
        GameError::UnexpectedField { place: "target #0".into(), model: "route", field: "id" }
    );
    let mut instance = site();
    instance["targets"][0].as_object_mut().unwrap().remove("slot");
    assert_eq!(
        rejected(instance),
        GameError::MissingField { place: "target #0".into(), model: "route", field: "slot" }
    );
    let mut instance = site();
    instance.as_object_mut().unwrap().remove("post");
    assert_eq!(rejected(instance), GameError::EdgesWithoutPost);
    let mut instance = site();
    instance.as_object_mut().unwrap().remove("zones");
    assert_eq!(
        rejected(instance),
        GameError::MissingField { place: "the instance".into(), model: "route", field: "zones" }
    );
    let singleton = json!({"guards": 1, "slots": 3, "targets": []});
    assert_eq!(
        rejected(singleton),
        GameError::UnexpectedField { place: "the instance".into(), model: "singleton", field: "slots" }
    );
    let singleton = json!({"guards": 1, "targets": [{"zone": "a", "attacker_reward": 1.0, "attacker_penalty": 0.0,
        "defender_reward": 1.0, "defender_penalty": 0.0}]});
    assert_eq!(
        rejected(singleton),
        GameError::UnexpectedField { place: "target #0".into(), model: "singleton", field: "zone" }
    );
    let singleton = json!({"guards": 1, "targets": [{"attacker_reward": 1.0, "attacker_penalty": 0.0,
        "defender_reward": 1.0, "defender_penalty": 0.0}]});
    assert_eq!(
        rejected(singleton),
        GameError::MissingField { place: "target #0".into(), model: "singleton", field: "id" }
    );
}

#[test]
fn more_guards_than_supported_are_rejected() {
    assert!(matches!(rejected(with(site(), "guards", json!(5_000_000_000_u64))), GameError::TooLarge { .. }));
    assert!(matches!(rejected(with(site(), "guards", json!(2_000_000))), GameError::TooLarge { .. }));
}

#[test]
fn errors_read_as_sentences_with_the_facts() {
    let err = rejected(with(site(), "edges", json!([["yard", "store"]])));
    assert_eq!(err.to_string(), "zone yard cannot be reached from the guard post gate by any walk");
}

//! A flowchart as an HL7 FHIR R4 `PlanDefinition` of type `clinical-protocol`: one action per
//! step, in reading order, each pointing at the steps that follow it (`relatedAction`,
//! `before-start`); a decision's branches are nested actions that carry their condition
//! (`applicability`, the branch label as a text expression). Links rather than nesting carry
//! the flow because algorithms merge and loop, which a tree cannot hold.

use serde_json::{Value, json};

use crate::model::{Flowchart, NodeShape};

/// The PlanDefinition for `chart` of the document with hash `sha256`.
pub fn to_plan_definition(chart: &Flowchart, sha256: &str) -> Value {
    let title = chart.caption.clone().unwrap_or_else(|| format!("Flowchart {}", chart.id));
    let follows = |target: &str| json!({"actionId": target, "relationship": "before-start"});
    let actions: Vec<Value> = chart
        .nodes
        .iter()
        .map(|n| {
            let out: Vec<_> = chart.edges.iter().filter(|e| e.source == n.id).collect();
            let mut action = json!({"id": n.id, "title": n.text});
            if n.shape == NodeShape::Decision || out.iter().any(|e| e.label.is_some()) {
                let branches: Vec<Value> = out
                    .iter()
                    .enumerate()
                    .map(|(k, e)| {
                        let mut branch = json!({
                            "id": format!("{}-b{}", n.id, k + 1),
                            "title": e.label.clone().unwrap_or_else(|| "otherwise".into()),
                            "relatedAction": [follows(&e.target)],
                        });
                        if let Some(label) = &e.label {
                            branch["condition"] = json!([{
                                "kind": "applicability",
                                "expression": {"language": "text/plain", "expression": label},
                            }]);
                        }
                        branch
                    })
                    .collect();
                if !branches.is_empty() {
                    action["action"] = Value::Array(branches);
                }
            } else if !out.is_empty() {
                action["relatedAction"] = Value::Array(out.iter().map(|e| follows(&e.target)).collect());
            }
            if n.shape == NodeShape::Note {
                action["description"] = json!("note");
            }
            action
        })
        .collect();
    json!({
        "resourceType": "PlanDefinition",
        "id": format!("{}-{}", &sha256[..sha256.len().min(16)], chart.id),
        "url": format!("{}/{}", crate::triples::document_iri(sha256), chart.id),
        "status": "draft",
        "title": title,
        "type": {"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/plan-definition-type",
            "code": "clinical-protocol",
            "display": "Clinical Protocol",
        }]},
        "action": actions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::fixtures::{chart, edge, node};

    #[test]
    fn steps_become_actions_and_branches_carry_their_conditions() {
        let mut chart = chart(
            "Figure 1. Anaphylaxis",
            vec![
                node("n1", "Suspected anaphylaxis", NodeShape::Terminal),
                node("n2", "Airway problem?", NodeShape::Decision),
                node("n3", "Give IM adrenaline", NodeShape::Process),
                node("n4", "Observe", NodeShape::Process),
            ],
            vec![edge("n1", "n2", None), edge("n2", "n3", Some("Yes")), edge("n2", "n4", Some("No"))],
        );
        chart.page = 3;
        let plan = to_plan_definition(&chart, "abcdef0123456789abcdef");
        assert_eq!(plan["resourceType"], "PlanDefinition");
        assert_eq!(plan["type"]["coding"][0]["code"], "clinical-protocol");
        assert_eq!(plan["action"].as_array().unwrap().len(), 4);
        assert_eq!(plan["action"][0]["relatedAction"][0]["actionId"], "n2");
        let branches = &plan["action"][1]["action"];
        assert_eq!(branches[0]["condition"][0]["expression"]["expression"], "Yes");
        assert_eq!(branches[0]["relatedAction"][0]["actionId"], "n3");
        assert_eq!(branches[1]["condition"][0]["kind"], "applicability");
        assert_eq!(branches[1]["relatedAction"][0]["actionId"], "n4");
    }
}

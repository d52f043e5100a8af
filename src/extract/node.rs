//! Which node a part of a guide is about: controller, compute, or a named
//! host, from headings and prose in several languages, and from prompts.

/// Words that name the controller and the compute node, by language.
const CONTROLLER: &[&str] = &[
    "controller",
    "control node",
    "control plane",
    "コントローラ",
    "コントローラー",
    "控制节点",
    "控制節點",
    "控制结点",
    "컨트롤러",
    "컨트롤 노드",
    "kontroler",
    "điều khiển",
    "nút điều khiển",
];
const COMPUTE: &[&str] = &[
    "compute node",
    "compute nodes",
    "compute host",
    "compute1",
    "compute-node",
    "コンピュートノード",
    "コンピュート",
    "计算节点",
    "計算節點",
    "计算结点",
    "컴퓨트",
    "컴퓨팅 노드",
    "compute",
    "nút tính toán",
];

/// Cheap first look: no node word can be in a text without one of these.
const HINTS: &[&str] = &[
    "contro",
    "compute",
    "コン",
    "컨트롤",
    "컴퓨",
    "控制",
    "计算",
    "計算",
    "kontroler",
    "điều",
    "tính",
];

fn mentions(lower: &str) -> (bool, bool) {
    if !HINTS.iter().any(|h| lower.contains(h)) {
        return (false, false);
    }
    let controller = CONTROLLER.iter().any(|w| lower.contains(w));
    let compute = COMPUTE.iter().any(|w| {
        lower.match_indices(w).any(|(i, _)| {
            // "compute" alone must be a word, not "computer" or "compute service".
            let after = &lower[i + w.len()..];
            let word_end = !after.starts_with(|c: char| c.is_ascii_alphabetic());
            let service =
                after.trim_start().starts_with("service") || after.trim_start().starts_with("api");
            word_end && (*w != "compute" || !service)
        })
    });
    (controller, compute)
}

/// A heading (or caption) that is about one node.
pub(crate) fn in_heading(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    match mentions(&lower) {
        (true, false) => Some("controller".into()),
        (false, true) => Some("compute".into()),
        _ => None,
    }
}

/// Prose that says where the following commands run: "Run the following
/// commands on the controller node", "@controller", "コントローラノードで実行",
/// "(controller)". Mere mentions of a node in a sentence are not enough.
pub(crate) fn in_prose(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let (controller, compute) = mentions(&lower);
    if controller == compute {
        return None;
    }
    let node = if controller { "controller" } else { "compute" };
    // A label such as "Controller node:", "On the compute node", "(controller)".
    let mut rest = lower.clone();
    for w in CONTROLLER.iter().chain(COMPUTE) {
        rest = rest.replace(w, " ");
    }
    let filler = [
        "on",
        "the",
        "node",
        "nodes",
        "host",
        "hosts",
        "in",
        "at",
        "for",
        "side",
        "only",
        "で",
        "에서",
        "上",
        "在",
        "节点",
        "節點",
        "ノード",
        "노드",
        "설정",
        "settings",
    ];
    let short = rest
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !filler.contains(w))
        .map(|w| w.chars().count())
        .sum::<usize>()
        <= 3;
    const IMPERATIVE: &[&str] = &[
        "run the following",
        "following commands",
        "following steps",
        "perform the following",
        "perform these",
        "execute the following",
        "run these",
        "on the controller node",
        "on the compute node",
        "on controller",
        "on compute",
        "@",
        "で実行",
        "で以下",
        "で次",
        "에서 실행",
        "에서 다음",
        "에서 진행",
        "在控制节点",
        "在计算节点",
        "在控制節點",
        "在計算節點",
        "上执行",
        "上執行",
    ];
    let imperative = IMPERATIVE.iter().any(|w| lower.contains(w))
        && (lower.contains("run")
            || lower.contains("perform")
            || lower.contains("execute")
            || lower.contains("following")
            || lower.contains('@')
            || !lower.is_ascii()
            || short);
    (imperative || short).then(|| node.to_string())
}

/// The node a host name in a prompt stands for.
pub(crate) fn of_host(host: &str) -> String {
    let lower = host.to_lowercase();
    if lower.contains("control") {
        "controller".into()
    } else if lower.contains("compute") {
        "compute".into()
    } else {
        lower
            .chars()
            .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .collect()
    }
}

/// A node hint in a guide's file name (`setup_nova_compute.sh`).
pub(crate) fn in_file_name(name: &str) -> Option<String> {
    let lower = name.rsplit('/').next().unwrap_or(name).to_lowercase();
    if lower.contains("control") {
        Some("controller".into())
    } else if lower.contains("compute") {
        Some("compute".into())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_in_many_languages() {
        assert_eq!(
            in_heading("Install and configure controller node").as_deref(),
            Some("controller")
        );
        assert_eq!(
            in_heading("Install and configure a compute node for Ubuntu").as_deref(),
            Some("compute")
        );
        assert_eq!(
            in_heading("コントローラノードの設定").as_deref(),
            Some("controller")
        );
        assert_eq!(in_heading("컨트롤러 노드").as_deref(), Some("controller"));
        assert_eq!(in_heading("计算节点").as_deref(), Some("compute"));
        assert_eq!(in_heading("Install the Compute service"), None);
        assert_eq!(in_heading("Controller and compute nodes"), None);
        assert_eq!(
            in_prose("Run the following commands on the **controller** node.").as_deref(),
            Some("controller")
        );
        assert_eq!(
            in_prose(
                "If the web browser cannot resolve the controller hostname, replace controller with the management interface IP address of the controller node."
            ),
            None
        );
        assert_eq!(of_host("openstack-controller-node01"), "controller");
        assert_eq!(of_host("compute1"), "compute");
        assert_eq!(of_host("node7"), "node7");
    }
}

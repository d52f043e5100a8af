//! Which node a part of a guide is about: controller, compute, or a named
//! host, from headings and prose in several languages, and from prompts.

use super::scan;
use aho_corasick::AhoCorasick;
use std::sync::OnceLock;

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

// One bit per node word in `mentions`.
const _: () = assert!(CONTROLLER.len() + COMPUTE.len() <= 64);

/// [`CONTROLLER`] then [`COMPUTE`], found in one pass (every occurrence).
fn node_words() -> &'static (AhoCorasick, Vec<&'static str>) {
    static WORDS: OnceLock<(AhoCorasick, Vec<&'static str>)> = OnceLock::new();
    WORDS.get_or_init(|| {
        let words: Vec<&'static str> = CONTROLLER.iter().chain(COMPUTE).copied().collect();
        (scan::automaton(&words, false, true), words)
    })
}

/// Could `text` name a node at all? Exact first look (no copy): true
/// whenever the lower-cased text holds one of [`HINTS`]. Lower-casing makes
/// an ASCII letter only from an ASCII letter or the Kelvin sign (`K`, and
/// `kontroler` holds `ontro`), `đ` and `í` only from themselves or `Đ`,
/// `Í`, and leaves CJK and Hangul as they are.
fn may_mention(text: &str) -> bool {
    static FIRST: OnceLock<AhoCorasick> = OnceLock::new();
    FIRST
        .get_or_init(|| {
            let mut hints: Vec<&str> = vec!["ontro", "compute", "đ", "Đ", "í", "Í"];
            hints.extend(
                HINTS
                    .iter()
                    .filter(|h| !h.is_ascii() && !h.contains(['đ', 'í'])),
            );
            scan::automaton(&hints, true, true)
        })
        .is_match(text)
}

/// Which nodes a lower-cased text names (after [`may_mention`]), and
/// which node words it holds (bit `i` for word `i` of [`node_words`]).
fn mentions(lower: &str) -> (bool, bool, u64) {
    let (ac, words) = node_words();
    let (mut controller, mut compute, mut held) = (false, false, 0u64);
    for m in ac.find_overlapping_iter(lower) {
        held |= 1 << m.pattern().as_usize();
        let w = words[m.pattern().as_usize()];
        if m.pattern().as_usize() < CONTROLLER.len() {
            controller = true;
            continue;
        }
        // "compute" alone must be a word, not "computer" or "compute service".
        let after = &lower[m.end()..];
        let word_end = !after.starts_with(|c: char| c.is_ascii_alphabetic());
        let service =
            after.trim_start().starts_with("service") || after.trim_start().starts_with("api");
        if word_end && (w != "compute" || !service) {
            compute = true;
        }
    }
    (controller, compute, held)
}

/// A heading (or caption) that is about one node.
pub(crate) fn in_heading(text: &str) -> Option<String> {
    if !may_mention(text) {
        return None;
    }
    let lower = scan::to_lowercase(text);
    match mentions(&lower) {
        (true, false, _) => Some("controller".into()),
        (false, true, _) => Some("compute".into()),
        _ => None,
    }
}

/// Prose that says where the following commands run: "Run the following
/// commands on the controller node", "@controller", "コントローラノードで実行",
/// "(controller)". Mere mentions of a node in a sentence are not enough.
pub(crate) fn in_prose(text: &str) -> Option<String> {
    if !may_mention(text) {
        return None;
    }
    let lower = scan::to_lowercase(text);
    let (controller, compute, held) = mentions(&lower);
    if controller == compute {
        return None;
    }
    let node = if controller { "controller" } else { "compute" };
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
    static IMPERATIVES: OnceLock<AhoCorasick> = OnceLock::new();
    let imperative = IMPERATIVES
        .get_or_init(|| scan::automaton(IMPERATIVE, false, true))
        .is_match(&lower)
        && (scan::contains(&lower, "run")
            || scan::contains(&lower, "perform")
            || scan::contains(&lower, "execute")
            || scan::contains(&lower, "following")
            || lower.contains('@')
            || !lower.is_ascii());
    (imperative || is_label(&lower, held)).then(|| node.to_string())
}

/// Words that may stand around a node word in a label ("on the controller
/// node", "コントローラノードで"): a label holds nothing else.
const FILLER: &[&str] = &[
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

/// A label such as "Controller node:", "On the compute node",
/// "(controller)": at most three letters left once the node words and
/// filler words are gone.
fn is_label(lower: &str, held: u64) -> bool {
    // Each node word in turn, in the order of the lists, replaced where
    // the text (as replaced so far) holds it. Before the first replacement
    // that is what `held` says; after, a word the text did not hold can
    // only have appeared across a blank put in, so only words `held` or
    // with a blank are looked for again.
    let (_, words) = node_words();
    let mut rest = std::borrow::Cow::Borrowed(lower);
    let mut replaced = false;
    for (i, w) in words.iter().enumerate() {
        let was_held = held & (1 << i) != 0;
        let holds = if !replaced {
            was_held
        } else {
            (was_held || w.contains(' ')) && scan::contains(&rest, w)
        };
        if holds {
            rest = std::borrow::Cow::Owned(rest.replace(w, " "));
            replaced = true;
        }
    }
    let mut letters = 0;
    for w in rest.split(|c: char| !c.is_alphanumeric()) {
        if w.is_empty() || FILLER.contains(&w) {
            continue;
        }
        letters += w.chars().count();
        if letters > 3 {
            return false;
        }
    }
    true
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

    /// `is_label` as first written: every word replaced in turn.
    fn is_label_reference(lower: &str) -> bool {
        let mut rest = lower.to_string();
        for w in CONTROLLER.iter().chain(COMPUTE) {
            rest = rest.replace(w, " ");
        }
        rest.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty() && !FILLER.contains(w))
            .map(|w| w.chars().count())
            .sum::<usize>()
            <= 3
    }

    #[test]
    fn labels_as_the_reference_reads_them() {
        for t in [
            "controller node:",
            "on the compute node",
            "(controller)",
            "controlcontrollernode",
            "compute nodes only",
            "컨트롤러 노드 설정",
            "nút điều khiển",
            "the controller node runs the api",
            "compute host compute1 x",
            "computecompute node",
        ] {
            let lower = scan::to_lowercase(t);
            let (_, _, held) = mentions(&lower);
            assert_eq!(is_label(&lower, held), is_label_reference(&lower), "{t}");
        }
    }

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

"""report.md and PNG plots from a metrics report."""

from __future__ import annotations

from pathlib import Path

__all__ = ["markdown", "write_report"]

BEYOND = ("intra_list_diversity", "coverage", "novelty")
MAIN = ("recall@1", "recall@5", "recall@10", "recall@50", "ndcg@10", "mrr", "valid_rate")


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def _interval(bounds) -> str:
    return f"[{bounds[0]:.4f}, {bounds[1]:.4f}]" if bounds else "-"


def _table(rows: dict[str, dict], columns: tuple[str, ...]) -> list[str]:
    lines = ["| system | " + " | ".join(columns) + " |", "|---|" + "---|" * len(columns)]
    for name, metrics in rows.items():
        lines.append(f"| {name} | " + " | ".join(_fmt(metrics.get(c)) for c in columns) + " |")
    return lines


def _disjoint_line(disjoint: dict | None) -> list[str]:
    if not disjoint:
        return []
    return [
        f"Dialog-disjoint statistics: co-occurrence, popularity and ALS fit on {disjoint['kept']} "
        f"of {disjoint['train_groups']} train dialogs/users ({disjoint['shared_with_split']} "
        "share a dialog with the evaluated split and were left out)."
    ]


def _ievalm_lines(ievalm: dict | None) -> list[str]:
    """The protocol's item set, and the published numbers as theirs."""
    if not ievalm:
        return []
    lines = [
        "",
        f"Protocol `ievalm`: rankings over iEvaLM-CRS's {ievalm['items']} OpenDialKG items (one "
        f"per title), every labelled item of every turn a sample, mentioned targets counted "
        f"({ievalm['targets_outside']} of {ievalm['samples']} targets are outside that set).",
    ]
    if ievalm.get("published"):
        lines += ["", f"Published, **theirs, not ours** ({ievalm['source']}):", ""]
        lines += _table(ievalm["published"], ("recall@1", "recall@10", "recall@50"))
    return lines


# long by design: the report's text, top to bottom as it is printed
def markdown(report: dict) -> str:
    """The human-readable report."""
    systems = report["systems"]
    run = report.get("run", {})
    lines = [
        f"# crossrec evaluation: {report['dataset']} / {report['split']}",
        "",
        f"{report['samples']} samples ({report['rows']} rows). Command: `{run.get('command', '')}`  ",
        f"git commit `{run.get('git_commit')}`, seed {run.get('seed')}, {run.get('seconds')} s.",
        *_disjoint_line(report.get("dialog_disjoint")),
        *_ievalm_lines(report.get("ievalm")),
        "",
        "## All targets",
        "",
    ]
    lines += _table(systems, MAIN)
    lines += ["", "Bootstrap 95% intervals over the samples:", ""]
    lines += _table(
        {n: {k: _interval(v) for k, v in m.get("ci95", {}).items()} for n, m in systems.items()},
        ("recall@1", "recall@10"),
    )
    for name, test in report.get("paired", {}).items():
        lines.append(
            f"\n{name} - {test['baseline']} ({test['metric']}, paired, n={test['n']}): "
            f"{test['difference']:+.4f} {_interval(test['ci95'])}, permutation p = "
            f"{test['p_value']:.3g}"
        )
    lines += [
        "",
        "## Targets not mentioned earlier (mentioned items removed from every ranking)",
        "",
    ]
    lines += _table(
        {
            n: {
                k.removesuffix("_excl_mentioned"): v
                for k, v in m.items()
                if k.endswith("_excl_mentioned")
            }
            for n, m in systems.items()
        },
        ("recall@1", "recall@10", "recall@50", "ndcg@10", "mrr", "n"),
    )
    if any("beyond" in m for m in systems.values()):
        lines += ["", "## Beyond accuracy (top 10; see crossrec.evaluation.beyond)", ""]
        lines += _table({n: m.get("beyond", {}) for n, m in systems.items()}, BEYOND)
    if any("cross_domain" in m for m in systems.values()):
        lines += ["", "## Strict cross-domain subset", ""]
        lines += _table(
            {n: m.get("cross_domain", {}) for n, m in systems.items()},
            ("recall@1", "recall@10", "recall@50", "ndcg@10", "n"),
        )
    domains = sorted({d for m in systems.values() for d in m.get("per_domain", {})})
    for domain in domains:
        lines += ["", f"## Target domain: {domain}", ""]
        lines += _table(
            {
                n: {
                    **m["per_domain"].get(domain, {}),
                    **m.get("beyond", {}).get("per_domain", {}).get(domain, {}),
                }
                for n, m in systems.items()
            },
            ("recall@1", "recall@10", "recall@50", "ndcg@10", "n", *BEYOND),
        )
    lines += [
        "",
        "## Latency (seconds per sample)",
        "",
        "| system | stage | p50 | p95 | n |",
        "|---|---|---|---|---|",
    ]
    for name, stages in report.get("latency", {}).items():
        for stage, s in stages.items():
            lines.append(
                f"| {name} | {stage} | {_fmt(s.get('p50'))} | {_fmt(s.get('p95'))} | {s.get('n')} |"
            )
    just = report.get("justifications")
    if just:
        lines += [
            "",
            "## Justifications (full system, top item)",
            "",
            "| metric | value |",
            "|---|---|",
        ]
        for key, value in just.items():
            if key not in ("examples", "sources"):
                lines.append(f"| {key} | {_fmt(value)} |")
        lines.append(f"| sources | {just.get('sources')} |")
        lines += ["", "Examples:", ""] + [
            f"- **{e['item']}**: {e['text']}" for e in just.get("examples", [])
        ]
    return "\n".join(lines) + "\n"


def write_report(report: dict, out: Path) -> None:
    """Write report.md, recall_at_k.png and per_domain.png into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.md").write_text(markdown(report), encoding="utf-8")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    systems = report["systems"]
    ks = (1, 5, 10, 50)
    fig, ax = plt.subplots(figsize=(6, 4))
    for name, m in systems.items():
        ax.plot(ks, [m.get(f"recall@{k}", 0) for k in ks], marker="o", label=name)
    ax.set_xscale("log")
    ax.set_xticks(ks, [str(k) for k in ks])
    ax.set_xlabel("K")
    ax.set_ylabel("Recall@K")
    ax.set_title(f"{report['dataset']} {report['split']}")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out / "recall_at_k.png", dpi=120)
    plt.close(fig)
    domains = sorted({d for m in systems.values() for d in m.get("per_domain", {})})
    fig, ax = plt.subplots(figsize=(7, 4))
    width = 0.8 / max(len(systems), 1)
    for n, (name, m) in enumerate(systems.items()):
        values = [m.get("per_domain", {}).get(d, {}).get("recall@10", 0) for d in domains]
        ax.bar([x + n * width for x in range(len(domains))], values, width, label=name)
    ax.set_xticks([x + 0.4 - width / 2 for x in range(len(domains))], domains)
    ax.set_ylabel("Recall@10")
    ax.set_title("Recall@10 per target domain")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out / "per_domain.png", dpi=120)
    plt.close(fig)

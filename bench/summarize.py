"""Render bench/results.json as docs/benchmarks.md (run by ``make bench``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _f(value, digits: int = 3) -> str:
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _when(section: dict) -> str:
    """Sections can be rerun alone (``--only``), so each says when it was measured."""
    note = f" {section['note']}" if section.get("note") else ""
    return f"Measured {section.get('measured_at', 'at an unrecorded time')}.{note}\n"


def _embedding(emb: dict) -> list[str]:
    def row(name: str, label: str) -> str:
        return (
            f"| {label} | {_f(emb[f'{name}_texts_per_s'], 1)} | "
            f"{_f(emb[f'{name}_dense_recall@50_opendialkg_valid'])} | "
            f"{_f(emb[f'{name}_dense_recall@50_opendialkg_test'])} |"
        )

    def change(name: str) -> str:
        return (
            f"**{_f(emb[f'{name}_speedup'], 2)}x**, recall@50 "
            f"{100 * emb[f'{name}_recall@50_valid_relative_change']:+.2f}% on validation, "
            f"{100 * emb[f'{name}_recall@50_test_relative_change']:+.2f}% on test (relative)"
        )

    length = emb["ours_config"]["max_seq_length"]
    lines = [
        "## Embedding throughput (item documents of the Amazon catalog)",
        "",
        _when(emb),
        "| embedder | texts/s | dense recall@50, OpenDialKG valid | same, test |",
        "|---|---|---|---|",
        row("default", "sentence-transformers defaults (fp32, max_seq_length 256, batch 32)"),
        row(
            "ours",
            f"crossrec default: ONNX int8 (fused graph, length-sorted batches, "
            f"max_seq_length {length})",
        ),
    ]
    if "student_texts_per_s" in emb:
        config = emb["student_card"]["config"]
        trained = f"teacher layers {config['layers']}"
        if config.get("rank_weight"):
            trained += f", ranking term on train-split dialogs at weight {config['rank_weight']}"
        lines.append(
            row(
                "student",
                "opt-in `--embed-document-model minilm-l3-crossrec` (after `make student`): "
                f"distilled student ({trained}) for documents, the int8 model for queries",
            )
        )
    lines += ["", f"Speed-up of the default: {change('ours')}."]
    if "student_texts_per_s" in emb:
        lines[-1] += f" Of the distilled student: {change('student')}."
    else:
        lines += ["", f"No distilled student was measured: {emb.get('student_missing')}"]
    return lines + [""]


def render(results: dict) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Measured by `make bench` (`python -m bench.run`) on the machine below; every comparison is",
        "two measurements taken side by side in the same run. Raw numbers: `bench/results.json`.",
        "",
    ]
    machine = results.get("machine", {})
    lines += [
        f"Machine: {machine.get('cpus')} CPUs, {machine.get('platform')}, Python {machine.get('python')}.",
        "",
    ]
    emb = results.get("embedding")
    if emb:
        lines += _embedding(emb)
    rr = results.get("rerank")
    if rr:
        lines += [
            "## Reranking latency, K=20 (SmolLM2-135M, CPU)",
            "",
            _when(rr),
            "| scorer | seconds per request (p50) |",
            "|---|---|",
            f"| verbalizer: one forward pass for all 20 | {_f(rr['verbalizer_s_p50'])} |",
            f"| naive: one forward pass per candidate | {_f(rr['naive_per_candidate_s_p50'])} |",
            "",
            f"Speed-up: **{_f(rr['speedup'], 1)}x** ({rr['inputs']} OpenDialKG validation requests, "
            f"{_f(rr['prompt_tokens_mean'], 0)} prompt tokens on average).",
            "",
        ]
    tr = results.get("train")
    if tr and "tokens_per_s" in tr:
        lines += [
            "## LoRA training (real examples)",
            "",
            _when(tr),
            "| device | tokens/s | peak RSS (GiB) |",
            "|---|---|---|",
            f"| {tr['device']} | {_f(tr['tokens_per_s'], 1)} | {_f(tr['peak_rss_gib'], 2)} |",
            "",
        ]
    agent = results.get("agent")
    if agent:
        lines += [
            "## Agent latency per stage (default model and shipped adapter)",
            "",
            _when(agent),
            "| where | stage | p50 (s) | p95 (s) | n |",
            "|---|---|---|---|---|",
        ]
        for stage, s in agent.get("opendialkg_chat", {}).items():
            lines.append(
                f"| OpenDialKG chat | {stage} | {_f(s['p50'])} | {_f(s['p95'])} | {s['n']} |"
            )
        amazon = agent.get("amazon_retrieval", {})
        for stage in ("chroma_dense_query_s", "fused_candidates_s", "rerank_s"):
            if stage in amazon:
                s = amazon[stage]
                lines.append(
                    f"| Amazon ({amazon['items']} items) | {stage} | {_f(s['p50'])} | {_f(s['p95'])} "
                    f"| {s['n']} |"
                )
        lines.append("")
    lines += _reliability(results) + _first_reply(results)
    return "\n".join(lines)


def _ratio(reply: dict, span: str) -> str:
    """p50 of the writer before over the greedy-only writer as shipped (same requests)."""
    before, now = (
        reply["llm_writer_before"][span]["p50"],
        reply["llm_writer_greedy_only"][span]["p50"],
    )
    return f"{before / now:.2f}"


def _latency(s: dict) -> str:
    return f"{_f(s['p50'], 2)} / {_f(s['p95'], 2)}"


def _reliability(results: dict) -> list[str]:
    """The reply-time, hostile-battery and browser-load sections."""
    lines: list[str] = []
    reply = results.get("reply")
    if reply:
        lines += [
            "## A 3-pick reply: trained writer vs few-shot writer vs evidence sentences "
            "(same requests, side by side)",
            "",
            _when(reply),
            "| justifications | first pick's text p50 / p95 (s) | full reply p50 / p95 (s) "
            "| sources | LLM's own text | stock phrases | says a detail of the pick |",
            "|---|---|---|---|---|---|---|",
        ]
        modes = (
            "llm_writer",
            "llm_writer_one_sentence",
            "llm_writer_rewrites_after",
            "llm_writer_pick_by_pick",  # results from before the writer ran in bfloat16
            "llm_writer_greedy_only",
            "llm_writer_before",
        )
        for mode in (*modes, "few_shot_writer", "evidence"):
            r = reply.get(mode)
            if r is None:  # results from before the few-shot row existed
                continue
            lines.append(
                f"| {mode} | {_latency(r['first_pick_text_s'])} | {_latency(r['full_reply_s'])} "
                f"| {r['justification_sources']} | {_f(r.get('llm_text_share'))} "
                f"| {_f(r['stock_phrase_rate'])} | {_f(r.get('specificity'))} |"
            )
        note = (
            f"{reply['requests']} requests; full reply {reply['speedup_full_p50']}x faster at "
            "p50 with evidence sentences."
        )
        if "llm_writer_one_sentence" in reply:
            note += (
                " llm_writer_one_sentence is llm_writer without the second sentence a reason "
                "that says no detail of the pick gets; p50 of it over llm_writer: first text "
                f"{reply['one_sentence_vs_now_first_pick_text_s']}, full reply "
                f"{reply['one_sentence_vs_now_full_reply_s']}."
            )
        if "llm_writer_rewrites_after" in reply:
            note += (
                f" llm_writer is --justify as shipped (the writer in {reply['writer_dtype']}, "
                "the reasons written together, each streamed as it passes the check; the first "
                f"pick's {reply['writer_samples']} sampled rewrites race its greedy text in the "
                "batch, a later pick's refused text is written again after it); "
                "llm_writer_rewrites_after writes the first pick's again after the batch too "
                "(the default before); p50 of it over llm_writer: first text "
                f"{reply['rewrites_after_vs_now_first_pick_text_s']}, full reply "
                f"{reply['rewrites_after_vs_now_full_reply_s']}. llm_writer_greedy_only writes "
                "no rewrite; llm_writer_before is the default of two releases ago (float32, one "
                "pick after another, greedy only): p50 of it over llm_writer: first text "
                f"{reply['before_vs_now_first_pick_text_s']}, full reply "
                f"{reply['before_vs_now_full_reply_s']}; over llm_writer_greedy_only: first "
                f"text {_ratio(reply, 'first_pick_text_s')}, full reply "
                f"{_ratio(reply, 'full_reply_s')}."
            )
        elif "llm_writer_before" in reply:
            note += (
                f" llm_writer is --justify as shipped (the writer in {reply['writer_dtype']}, "
                "the reasons written together, each streamed as it passes the check, a refused "
                f"one written again from {reply['writer_samples']} sampled texts); "
                "llm_writer_greedy_only the same without the rewrite; llm_writer_before the "
                "default before (float32, one pick after another, greedy only). p50 of "
                "llm_writer_before over llm_writer: first text "
                f"{reply['before_vs_now_first_pick_text_s']}, full reply "
                f"{reply['before_vs_now_full_reply_s']} (below 1: the rewrites cost more than "
                "the speed-up saves); over llm_writer_greedy_only: first text "
                f"{_ratio(reply, 'first_pick_text_s')}, full reply {_ratio(reply, 'full_reply_s')}."
            )
        elif "llm_writer_greedy_only" in reply:
            note += (
                " llm_writer (batched) and llm_writer_pick_by_pick write a refused reason again "
                "with one sampled text (--writer-samples 1); llm_writer_greedy_only is what "
                "--justify does by default."
            )
        if "first_reply_after_start_s" in reply:
            note += (
                " First reply after start"
                + (" with llm_writer" if reply.get("first_reply_justified") else "")
                + f" (warmed up in {reply['warm_up_s']} s): "
                f"{reply['first_reply_after_start_s']} s, {reply['first_reply_vs_p50']}x the p50 "
                "(other messages; the first_reply section compares one message with itself)."
            )
        lines += ["", note, ""]
    hostile = results.get("hostile")
    if hostile:
        c = hostile["counts"]
        lines += [
            "## Hostile battery (real agent, shipped defaults)",
            "",
            _when(hostile),
            "| messages | exceptions | empty replies | items outside the catalog | lost turns "
            "| items | latency p50 / p95 (s) |",
            "|---|---|---|---|---|---|---|",
            f"| {c['messages']} | {c['exceptions']} | {c['empty_replies']} "
            f"| {c['out_of_catalog']} | {c.get('lost_turns', '-')} | {c['items']} "
            f"| {_latency(hostile['latency_s'])} |",
            "",
        ]
    load = results.get("ui_load")
    if load:
        lines += [
            "## Browser sessions at once through the Gradio queue (headless Chromium)",
            "",
            _when(load),
            "| sessions x turns | answered | outside the catalog | another session's items "
            "| reply p50 / p95 (s) | server peak RSS (MB) |",
            "|---|---|---|---|---|---|",
            f"| {load['sessions']} x {load['turns_per_session']} | {load['requests_answered']} "
            f"of {load['requests_sent']} | {load['items_outside_catalog']} "
            f"| {load['foreign_profile_items']} | {_latency(load['reply_latency_s'])} "
            f"| {load['server_peak_rss_mb']} |",
            "",
        ]
    return lines


def _first_reply(results: dict) -> list[str]:
    """The first reply after start against the same message asked again later."""
    first = results.get("first_reply")
    if not first:
        return []
    return [
        "## The first reply after start (--justify as shipped, nothing else in the process)",
        "",
        _when(first),
        "| | first pick's text (s) | full reply (s) |",
        "|---|---|---|",
        f"| first reply (warmed up in {first['warm_up_s']} s) | {first['first_text_s']} "
        f"| {first['first_reply_s']} |",
        f"| same message later, new sessions (median of {first.get('again', 3)}) "
        f"| {first['same_message_later_first_text_s']} | {first['same_message_later_s']} |",
        f"| first / same later | {first['first_text_vs_same_later']}x "
        f"| {first['first_vs_same_later']}x |",
        "",
        f'Message: "{first["message"]}". The {first["others"]} other requests served between '
        f"them (other messages) had a full-reply p50 of {first['others_p50_s']} s "
        f"({first['first_vs_others_p50']}x). The writer ran in "
        f"{first.get('writer_dtype', 'the dtype of its machine')}; compare the figures above "
        "only with a section measured on the same machine.",
        "",
    ]


def main(argv=None) -> int:
    argv = argv if argv is not None else sys.argv[1:]
    source = Path(argv[0] if argv else "bench/results.json")
    target = Path(argv[1] if len(argv) > 1 else "docs/benchmarks.md")
    target.write_text(render(json.loads(source.read_text())), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

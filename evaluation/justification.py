"""Justification quality without a paid judge: grounding, evidence precision, diversity, overlap.

For a subset of samples, the full system's top recommendation that a reply would show (not an
item the dialog named: a reply never offers a liked item again) is explained by the agent's
writer. Besides the agent's own grounding check, an independent re-check scans the final
text for every catalog title (not through the agent's linker) and asks whether each is the
recommended item or a history item; evidence precision asks whether every attribute value the
text states is true of the item.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from crossrec.agent import (
    COMPOSED,
    GroundingCheck,
    Recommender,
    distinct_picks,
    is_specific,
    stock_phrase,
)
from crossrec.evaluation.samples import Sample
from crossrec.evaluation.systems import sample_query
from crossrec.evaluation.textmetrics import (
    bleu,
    distinct_n,
    feature_matching_ratio,
    mean_rouge_l,
    unique_sentence_ratio,
)
from crossrec.retrieval import Catalog, normalize_title

__all__ = ["TitleScanner", "is_specific", "justification_metrics"]


class TitleScanner:
    """Finds catalog titles in text by normalised word-boundary search (titles of 2+ words or 6+ chars)."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        keys = sorted(
            (t for t in catalog.titles() if len(t.split()) >= 2 or len(t) >= 6),
            key=len,
            reverse=True,
        )
        self.pattern = (
            re.compile(r"(?<!\w)(" + "|".join(re.escape(k) for k in keys) + r")(?!\w)")
            if keys
            else None
        )

    def titles_in(self, text: str) -> list[list[str]]:
        if self.pattern is None:
            return []
        return [
            self.catalog.titles()[m.group(1)] for m in self.pattern.finditer(normalize_title(text))
        ]


def _share(sources: dict[str, int], which, n: int) -> float:
    return sum(count for source, count in sources.items() if which(source)) / n if n else 0.0


# long by design: every justification metric of one report, computed over the same picks
def justification_metrics(
    recommender: Recommender, samples: Sequence[Sample], rankings: dict[str, list[str]], limit: int
) -> dict:
    """Explain the top shown pick of up to ``limit`` samples and score the explanations."""
    catalog = recommender.catalog
    graph = recommender.retrieval.graph
    scanner = TitleScanner(catalog)
    # the agent's check, also when it has no writer (evidence sentences are checked too)
    check = recommender.writer.check if recommender.writer else GroundingCheck(catalog, graph)
    seen, rows, picks = set(), [], []
    for sample in samples:
        if sample.key in seen:
            continue
        seen.add(sample.key)
        query = sample_query(sample, recommender.linker)
        shown = distinct_picks(
            catalog, [(i, 0.0) for i in rankings.get(sample.key, ())], query.history
        )
        if shown:
            rows.append((sample, query))
            picks.append(shown[0][0])
        if len(rows) >= limit:
            break
    texts, references, features = [], [], []
    sources = {"llm": 0, "llm-retry": 0, "evidence": 0}
    agent_pass = recheck_pass = stated = stated_true = specific = strict = stock = 0
    for (sample, query), item_id in zip(rows, picks, strict=True):
        message = sample.context[-1] if sample.context else ""
        rec = recommender.recommendation(
            item_id, 0.0, query.history, query.facts, explain=True, message=message
        )
        text = rec.justification
        texts.append(text)
        references.append(sample.reference)
        sources[rec.justification_source] = sources.get(rec.justification_source, 0) + 1
        links = recommender.explainer.finder.find(item_id, query.history, query.facts, limit=3)
        specific += is_specific(text, item_id, query.history, links, graph, catalog)
        strict += is_specific(text, item_id, query.history, links, graph, catalog, strict=True)
        names = [catalog[i].title for i in (item_id, *query.history) if i in catalog]
        stock += stock_phrase(text, names + [v for _, v in graph.facts_of(item_id)]) is not None
        agent_pass += not check.problems(text, item_id, query.history, links)
        allowed = {item_id, *query.history}
        recheck_pass += all(set(ids) & allowed for ids in scanner.titles_in(text))
        own = set(graph.facts_of(item_id))
        for mention in check.mentions(text, [i for i in (item_id, *query.history) if i in catalog]):
            if mention.kind == "fact":  # not the brand words of a name the text says
                stated += 1
                stated_true += bool(set(mention.facts) & own)
        features.append([v for _, v in graph.facts_of(item_id)])
    n = len(rows)
    out = {
        "n": n,
        "sources": sources,
        # the writer's words and nothing else; "llm+detail" adds a composed second sentence
        "llm_text_share": (sources.get("llm", 0) + sources.get("llm-retry", 0)) / n if n else 0.0,
        "llm_first_sentence_share": _share(sources, lambda s: s.startswith("llm"), n),
        "composed_detail_share": _share(sources, lambda s: s.endswith(COMPOSED), n),
        "groundedness_agent_check": agent_pass / n if n else 0.0,
        "groundedness_title_recheck": recheck_pass / n if n else 0.0,
        "specificity": specific / n if n else 0.0,
        "specificity_strict": strict / n if n else 0.0,  # the detail is no linked fact at all
        "stock_phrase_rate": stock / n if n else 0.0,
        "evidence_precision": stated_true / stated if stated else None,
        "stated_facts": stated,
        "feature_matching_ratio": feature_matching_ratio(texts, features) if n else 0.0,
        "distinct_1": distinct_n(texts, 1) if n else 0.0,
        "distinct_2": distinct_n(texts, 2) if n else 0.0,
        "unique_sentence_ratio": unique_sentence_ratio(texts) if n else 0.0,
        "examples": [
            {"item": catalog[i].title, "text": t} for i, t in zip(picks[:5], texts[:5], strict=True)
        ],
    }
    if any(references):
        pairs = [(t, r) for t, r in zip(texts, references, strict=True) if r]
        out["bleu"] = bleu([t for t, _ in pairs], [r for _, r in pairs])
        out["rouge_l"] = mean_rouge_l([t for t, _ in pairs], [r for _, r in pairs])
    return out

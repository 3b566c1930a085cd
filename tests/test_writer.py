"""The justification writer learned from real replies: its examples, its training, its prompt.

Examples come from the real OpenDialKG train split; training runs on the tiny random model.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace

import pytest
from crossrec.agent.grounding import GroundingCheck
from crossrec.agent.justify import JustificationWriter
from crossrec.agent.llm import load_writer, local_chat_model
from crossrec.agent.phrasing import writer_facts
from crossrec.finetune.adapter import AdapterCard, save_adapter
from crossrec.finetune.model import load_base_model
from crossrec.finetune.writer import WriterConfig, build_writer_examples, train_writer
from crossrec.retrieval import EntityLinker, EvidenceFinder


@pytest.fixture(scope="module")
def writer_examples(odkg_retrieval, tiny_model_dir):
    _, tokenizer = load_base_model(str(tiny_model_dir))
    return build_writer_examples(odkg_retrieval, tokenizer, WriterConfig(), progress=False)


def test_writer_examples_are_checked_replies_that_say_what_connects(
    writer_examples, odkg_retrieval
):
    catalog, graph = odkg_retrieval.dataset.catalog, odkg_retrieval.graph
    linker = EntityLinker(catalog, graph)
    assert len(writer_examples) > 500
    train = [e for e in writer_examples if e.split == "train"]
    heldout = [e for e in writer_examples if e.split == "heldout"]
    assert heldout and not {e.group for e in train} & {e.group for e in heldout}
    for example in writer_examples[::25]:
        assert example.pick == catalog.spoken(example.item_id)  # the name a person says
        assert example.facts, example
        said = [example.liked, *(value for _, value in example.facts)]
        assert any(v and v.casefold() in example.reply.casefold() for v in said), example
        # every fact of the pick that the reply states is in the prompt's list
        own = set(graph.facts_of(example.item_id))
        stated = {f for m in linker.link(example.reply) if m.kind == "fact" for f in m.facts}
        assert stated & own <= {tuple(f) for f in example.facts}, example
        assert "?" not in example.reply  # the check turns questions away


def test_a_trained_writer_prompt_lists_the_picks_facts_without_shots(odkg_retrieval):
    catalog, graph = odkg_retrieval.dataset.catalog, odkg_retrieval.graph
    finder = EvidenceFinder(graph, odkg_retrieval.cooccurrence)
    fight_club = next(i.id for i in catalog if i.title == "Fight Club")
    pick = next(
        i.id for i in catalog if i.title == "Lullaby" and ("writer", "Chuck Palahniuk") in
        graph.facts_of(i.id)
    )  # fmt: skip
    links = finder.find(pick, [fight_club], (), limit=3)
    liked, facts = writer_facts(pick, links, catalog, graph)
    assert liked == "Fight Club" and facts[0] == ("writer", "Chuck Palahniuk")
    writer = JustificationWriter(object(), catalog, graph, trained=True)
    messages = writer.messages(pick, links, [fight_club], "Any books I'd like?")
    assert [role for role, _ in messages] == ["system", "user"]
    user = messages[1][1]
    assert "Pick: Lullaby (book)" in user and "Liked: Fight Club" in user
    assert "writer Chuck Palahniuk" in user and "Any books I'd like?" in user
    few_shot = JustificationWriter(object(), catalog, graph).messages(
        pick, links, [fight_club], "Any books I'd like?"
    )
    assert len(few_shot) > 2  # the base model keeps its shots


def test_writer_training_lowers_the_heldout_loss_resumes_and_loads(
    writer_examples, tiny_model_dir, tmp_path, odkg_retrieval
):
    train = [e for e in writer_examples if e.split == "train"][:24]
    heldout = [e for e in writer_examples if e.split == "heldout"][:8]
    config = WriterConfig(epochs=3, learning_rate=3e-3, batch_size=4, save_steps=6)
    model, tokenizer = load_base_model(str(tiny_model_dir))
    trained, summary = train_writer(model, tokenizer, train + heldout, config, tmp_path)
    assert summary["updates"] == 18 and summary["train_examples"] == 24
    assert summary["heldout_loss_after"] < summary["heldout_loss_before"]
    state = json.loads((tmp_path / "checkpoint" / "state.json").read_text())
    assert state["step"] == 18
    # a run that finds the checkpoint starts where it ended instead of from scratch
    again, resumed = train_writer(
        load_base_model(str(tiny_model_dir))[0], tokenizer, train + heldout,
        replace(config, epochs=4), tmp_path,
    )  # fmt: skip
    assert resumed["heldout_loss_before"] is None and resumed["updates"] == 24
    folder = save_adapter(trained, tmp_path / "adapter", AdapterCard("tiny", "test"))
    base = load_base_model(str(tiny_model_dir))[0]
    writer_model, is_trained = load_writer(base, "tiny", str(folder))
    assert is_trained and writer_model is not base
    assert load_writer(base, "tiny", "none") == (base, False)
    assert load_writer(base, "tiny", None) == (base, False)  # the shipped writer fits SmolLM2 only
    # the trained writer writes through the same check as any chat model
    catalog, graph = odkg_retrieval.dataset.catalog, odkg_retrieval.graph
    writer = JustificationWriter(
        local_chat_model(writer_model, tokenizer, max_new_tokens=8), catalog, graph, trained=True
    )
    example = heldout[0]
    links = EvidenceFinder(graph, odkg_retrieval.cooccurrence).find(example.item_id, [], (), 3)
    found = writer.write(example.item_id, links, [], example.message)
    assert found.source in ("llm", "evidence") and found.text


def test_batched_generation_matches_one_at_a_time(tiny_models):
    from crossrec.agent.llm import generate_batch, local_pipeline

    chat = tiny_models.chat_model
    pipe = local_pipeline(chat)
    assert pipe is not None and local_pipeline(object()) is None
    prompts = [
        [("system", "Be brief."), ("user", "Why Lullaby?")],
        [("system", "Be brief."), ("user", "Why would someone who loved Fight Club read Haunted?")],
        [("user", "Hi")],
    ]
    batched = generate_batch(pipe, prompts)
    assert len(batched) == 3
    alone = [generate_batch(pipe, [p])[0] for p in prompts]
    assert [" ".join(b.split()) for b in batched] == [" ".join(a.split()) for a in alone]
    # and one prompt alone is what the LangChain chat model says
    assert " ".join(alone[0].split()) == " ".join(chat.invoke(prompts[0]).content.split())


def test_local_stream_says_what_the_model_says_and_stops_when_the_reader_does(tiny_models):
    from crossrec.agent.llm import local_chat_model, local_pipeline, stream_local

    prompt = [("system", "Be brief."), ("user", "Why Lullaby?")]
    pipe = local_pipeline(tiny_models.chat_model)
    streamed = "".join(stream_local(pipe, prompt))
    said = tiny_models.chat_model.invoke(prompt).content
    assert " ".join(streamed.split()) == " ".join(said.split())
    # a reader that stops after two pieces stops the model: no thread runs on to the limit
    model, tokenizer = pipe.model, pipe.tokenizer
    long_pipe = local_pipeline(local_chat_model(model, tokenizer, max_new_tokens=400))
    steps = []
    hook = model.register_forward_hook(lambda *args: steps.append(1))
    try:
        pieces = stream_local(long_pipe, prompt)
        next(pieces), next(pieces)
        pieces.close()
        stopped_at = len(steps)
        assert stopped_at < 100
        time.sleep(0.2)
        assert len(steps) == stopped_at  # nothing generates in the background
    finally:
        hook.remove()


def test_a_trained_writer_writes_a_replys_reasons_in_one_batch(tiny_agent, tiny_models):
    writer = JustificationWriter(
        tiny_models.chat_model, tiny_agent.catalog, tiny_agent.retrieval.graph, trained=True
    )
    assert writer.batches
    assert not JustificationWriter(object(), tiny_agent.catalog, None, trained=True).batches
    tiny_agent.writer, tiny_agent.config.justify = writer, True
    assert tiny_agent.config.batch_justifications  # the default
    calls = []
    original = writer.stream_many
    writer.stream_many = lambda jobs: calls.append(len(jobs)) or original(jobs)
    message = "I loved the movie Fight Club. Any books I'd like?"
    reply = tiny_agent.chat(message, "batched")
    assert calls == [len(reply.items)] and len(reply.items) >= 2
    liked = tiny_agent.profile("batched").liked
    for item in reply.items:  # each reason is checked text or the evidence sentence
        links = tiny_agent.finder.find(item.item_id, liked, (), 3)
        assert item.justification_source in ("llm", "evidence")
        if item.justification_source == "llm":
            assert not writer.check.problems(item.justification, item.item_id, liked, links)
        assert item.justification in reply.text
    tiny_agent.config.batch_justifications = False  # pick by pick: the same reply, greedy
    calls.clear()
    assert tiny_agent.chat(message, "one-by-one").text == reply.text
    assert calls == []


def test_batched_stream_says_what_each_row_says_and_stops_a_row_the_reader_ends(tiny_models):
    from crossrec.agent.llm import generate_batch, local_chat_model, local_pipeline, stream_batch

    prompts = [
        [("system", "Be brief."), ("user", "Why Lullaby?")],
        [("user", "Hi")],
        [("system", "Be brief."), ("user", "Why would someone who loved Fight Club read Haunted?")],
    ]
    pipe = local_pipeline(tiny_models.chat_model)
    texts, ends = ["", "", ""], []
    for row, piece in stream_batch(pipe, prompts):
        if piece is None:
            ends.append(row)
        else:
            assert row not in ends  # nothing of a row after its end
            texts[row] += piece
    assert sorted(ends) == [0, 1, 2]
    alone = generate_batch(pipe, prompts)
    assert [" ".join(t.split()) for t in texts] == [" ".join(a.split()) for a in alone]
    # a row the reader ends gets no more text; the others run on to the token limit
    long_pipe = local_pipeline(local_chat_model(pipe.model, pipe.tokenizer, max_new_tokens=60))
    stopped, pieces = set(), {0: 0, 1: 0, 2: 0}
    for row, piece in stream_batch(long_pipe, prompts, stopped):
        if piece is not None:
            pieces[row] += 1
            if row == 1 and pieces[1] == 2:
                stopped.add(1)
    assert pieces[1] <= 3 and pieces[0] > 10 and pieces[2] > 10


def _fight_club_and_two_palahniuk_books(catalog):
    liked = next(i for i in catalog.by_title("Fight Club") if catalog[i].domain == "movie")
    books = ("Lullaby", "Haunted")
    return liked, [
        next(i for i in catalog.by_title(t) if catalog[i].domain == "book") for t in books
    ]


def test_reasons_written_together_come_in_pick_order(tiny_agent, tiny_models, monkeypatch):
    """Scripted rows (the tiny model writes no true sentence): the second pick's reason ends
    first and is held until the first pick's is shown; a refused sentence ends its row."""
    import crossrec.agent.llm as llm

    catalog, graph = tiny_agent.catalog, tiny_agent.retrieval.graph
    liked, picks = _fight_club_and_two_palahniuk_books(catalog)
    ended, events, seen = [], [], []

    def scripted(pipe, conversations, stopped, sampled=frozenset(), seed=None, *sampling):
        assert len(conversations) == 2 and not sampled
        yield 1, "Haunted is by Chuck Palahniuk, who wrote Fight Club. "
        yield 1, None
        ended.append(set(stopped))
        yield 0, "Lullaby is by Chuck Palahniuk, who wrote Fight Club. Watch"
        seen.extend(events)  # what was shown before the model wrote on
        yield 0, " Toy Story. It"
        ended.append(set(stopped))
        yield 0, " is great."

    monkeypatch.setattr(llm, "stream_batch", scripted)
    writer = JustificationWriter(tiny_models.chat_model, catalog, graph, trained=True)
    tiny_agent.writer, tiny_agent.config.justify = writer, True
    jobs = [(p, tiny_agent.finder.find(p, [liked], (), 3), [liked], "", None) for p in picks]
    for event in writer.stream_many(jobs):
        events.append(event)
    assert ended == [{1}, {0, 1}]  # each row is ended as soon as its reason is settled
    # no rewrite races it: a passing sentence is shown at once, detail or not
    assert (0, "Lullaby is by Chuck Palahniuk, who wrote Fight Club.") in seen
    finals = {row: e for row, e in events if not isinstance(e, str)}
    assert finals[0].text == "Lullaby is by Chuck Palahniuk, who wrote Fight Club."
    assert finals[0].problems  # "Watch Toy Story." was refused and ended the row
    assert finals[1].text.startswith("Haunted is by") and finals[1].source == "llm"
    from crossrec.agent.reply import Recommendation

    cards = [Recommendation(p, catalog[p].title, catalog[p].domain, 0.0) for p in picks]
    shown = list(tiny_agent.explainer._in_order(cards, iter(events)))
    texts = [e if isinstance(e, str) else e.title for e in shown]
    assert texts[1] == "Lullaby is by Chuck Palahniuk, who wrote Fight Club."
    assert texts[2:] == ["Lullaby", shown[3], finals[1].text, "Haunted"]
    assert shown[3].startswith("\n2. Haunted")


def test_evidence_sentences_of_real_test_turns_pass_the_check(odkg_retrieval):
    """The fallback must never be what the check refuses: a genre that is also a book's title
    ("Drama"), a title with a question mark ("What's Up, Doc?"), a language linked under
    another relation, roles and years said of the pick."""
    from crossrec.agent.phrasing import explain_pick
    from crossrec.retrieval import decisions

    catalog, graph = odkg_retrieval.dataset.catalog, odkg_retrieval.graph
    linker, check = EntityLinker(catalog, graph), GroundingCheck(catalog, graph)
    finder = EvidenceFinder(graph, odkg_retrieval.cooccurrence)
    failed = []
    for decision in decisions(odkg_retrieval.dataset, "test", linker)[:300]:
        item_id = decision.targets[0]
        links = finder.find(item_id, decision.history, decision.facts, limit=3)
        sentence = explain_pick(item_id, links, catalog, graph).sentence
        problems = check.problems(sentence, item_id, decision.history, links)
        if problems:
            failed.append((sentence, problems))
    assert not failed, failed[:5]


def test_a_catalog_without_replies_gets_checked_reasons_composed_from_its_evidence(
    data_dir, tiny_model_dir
):
    from crossrec.retrieval.datasets import load_dataset
    from crossrec.retrieval.pipeline import build_retrieval

    retrieval = build_retrieval(load_dataset("amazon_arts_office", data_dir), None)
    catalog, graph = retrieval.dataset.catalog, retrieval.graph
    _, tokenizer = load_base_model(str(tiny_model_dir))
    config = WriterConfig(composed_examples=40)
    examples = build_writer_examples(retrieval, tokenizer, config, progress=False)
    train = [e for e in examples if e.split == "train"]
    assert len(train) == 40 and 1 <= len(examples) - len(train) <= 5
    for example in examples:
        assert example.pick == catalog.spoken(example.item_id) and example.liked
        assert example.liked.casefold() in example.reply.casefold()  # it says what connects
        assert example.message == "(nothing)"  # histories carry no message
        assert len(example.reply.split()) < 45  # the names, not 30-word titles
        assert {tuple(f) for f in example.facts} <= set(graph.facts_of(example.item_id))
    assert len({e.reply.split()[0] for e in examples}) > 2  # the forms vary


def test_sampled_generation_is_seeded_and_leaves_the_random_state_alone(tiny_models):
    import torch
    from crossrec.agent.llm import generate_batch, local_pipeline

    pipe = local_pipeline(tiny_models.chat_model)
    prompt = [[("user", "Why would someone who loved Fight Club read Haunted?")]]
    sampling = dict(do_sample=True, temperature=1.5, num_return_sequences=3)
    state = torch.random.get_rng_state()
    first = generate_batch(pipe, prompt, seed=7, **sampling)
    assert torch.equal(state, torch.random.get_rng_state())
    assert len(first) == 3 and first == generate_batch(pipe, prompt, seed=7, **sampling)
    assert first != generate_batch(pipe, prompt, seed=8, **sampling)


def test_a_refused_reason_is_sampled_again_and_the_first_that_passes_is_kept(
    tiny_agent, tiny_models, monkeypatch
):
    """The tiny model's greedy text is refused; the sampled rewrites (scripted here: the tiny
    model writes no true sentence) are checked in order and the first that passes is kept."""
    import crossrec.agent.llm as llm

    catalog, graph = tiny_agent.catalog, tiny_agent.retrieval.graph
    pick = next(i for i in catalog.by_title("Lullaby"))
    liked = next(i for i in catalog.by_title("Fight Club") if catalog[i].domain == "movie")
    links = tiny_agent.finder.find(pick, [liked], (), 3)
    assert links and links[0].fact == ("writer", "Chuck Palahniuk")
    calls = []

    def scripted(pipe, conversations, seed=None, **overrides):
        calls.append((seed, overrides))
        return ["Watch Toy Story.", "Lullaby is by Chuck Palahniuk, who wrote Fight Club."]

    monkeypatch.setattr(llm, "generate_batch", scripted)
    writer = JustificationWriter(tiny_models.chat_model, catalog, graph, trained=True, samples=2)
    found = writer.write(pick, links, [liked], "I loved Fight Club")
    assert found.source == "llm-retry" and found.text.startswith("Lullaby is by Chuck")
    assert calls[0][1] == {"do_sample": True, "temperature": 0.7, "top_p": 0.9,
                           "num_return_sequences": 2,
                           "bad_words_ids": writer._unpraised([(pick, links, [liked], "", None)])
                           ["bad_words_ids"]}  # fmt: skip
    assert found.problems  # why the greedy text was refused
    streamed = list(writer.stream(pick, links, [liked], "I loved Fight Club"))
    assert streamed[-1].source == "llm-retry" and streamed[0] == streamed[-1].text
    assert calls[0][0] == calls[1][0]  # one pick, one seed: a reply is reproducible
    calls.clear()
    greedy_only = JustificationWriter(tiny_models.chat_model, catalog, graph, trained=True)
    assert greedy_only.write(pick, links, [liked], "I loved Fight Club").source == "evidence"
    assert not calls


def test_the_writer_alone_runs_in_its_number_format(tiny_model_dir, embedder, tmp_path):
    import torch
    from crossrec.agent.config import AgentConfig
    from crossrec.agent.factory import load_agent_models
    from crossrec.agent.llm import local_pipeline, writer_dtype
    from crossrec.retrieval import Runtime
    from crossrec.retrieval.paths import Paths

    native = torch.ops.mkldnn._is_mkldnn_bf16_supported()
    assert writer_dtype("auto", "cpu") == (torch.bfloat16 if native else torch.float32)
    assert writer_dtype("float32", "cuda") == torch.float32
    with pytest.raises(ValueError, match="writer_dtype"):
        AgentConfig(writer_dtype="int4")
    runtime = Runtime(Paths(tmp_path, tmp_path / "store", tmp_path), embedder=embedder)
    config = AgentConfig(
        model=str(tiny_model_dir), adapter="none", writer_adapter="none", justify=True,
        writer_dtype="bfloat16", device="cpu",
    )  # fmt: skip
    models = load_agent_models(config, runtime)  # one base model writes and reranks: copied
    writer = local_pipeline(models.chat_model).model
    assert writer.dtype == torch.bfloat16
    assert models.writer_model.dtype == models.rerank_model.dtype == torch.float32
    assert models.chat_model.invoke([("user", "Hi")]).content is not None


def test_refused_reasons_of_a_reply_are_sampled_again_together(
    tiny_agent, tiny_models, monkeypatch
):
    import crossrec.agent.llm as llm

    catalog, graph = tiny_agent.catalog, tiny_agent.retrieval.graph
    liked, picks = _fight_club_and_two_palahniuk_books(catalog)
    calls = []

    def refused(pipe, conversations, stopped, sampled=frozenset(), seed=None, *sampling):
        for row in range(len(conversations)):
            yield row, "Watch Toy Story. "

    def sampled(pipe, conversations, seed=None, **overrides):
        calls.append(len(conversations))
        return [
            "Watch Toy Story.", "Lullaby is by Chuck Palahniuk, who wrote Fight Club.",
            "Toy Story!", "Toy Story!",  # nothing passes for Haunted: its evidence sentence
        ]  # fmt: skip

    monkeypatch.setattr(llm, "stream_batch", refused)
    monkeypatch.setattr(llm, "generate_batch", sampled)
    writer = JustificationWriter(tiny_models.chat_model, catalog, graph, trained=True, samples=2)
    jobs = [(p, tiny_agent.finder.find(p, [liked], (), 3), [liked], "", None) for p in picks]
    finals = writer.write_many(jobs)
    assert calls == [2]  # one sampling call for every refused reason of the reply
    assert finals[0].source == "llm-retry" and finals[0].text.startswith("Lullaby is by")
    assert finals[1].source == "evidence" and finals[1].problems


def test_a_sampled_reason_that_also_says_a_detail_of_the_pick_is_preferred(
    tiny_agent, tiny_models, monkeypatch
):
    import crossrec.agent.llm as llm
    from crossrec.agent import is_specific

    catalog, graph = tiny_agent.catalog, tiny_agent.retrieval.graph
    pick = next(i for i in catalog.by_title("Lullaby") if catalog[i].domain == "book")
    liked = next(i for i in catalog.by_title("Fight Club") if catalog[i].domain == "movie")
    links = tiny_agent.finder.find(pick, [liked], (), 3)
    year = next(v for r, v in graph.facts_of(pick) if r == "year")
    texts = [
        "Watch Toy Story.",
        "Lullaby is by Chuck Palahniuk, who wrote Fight Club.",
        f"Lullaby is by Chuck Palahniuk, who wrote Fight Club, and came out in {year}.",
    ]
    monkeypatch.setattr(llm, "generate_batch", lambda *args, **kwargs: texts)
    writer = JustificationWriter(tiny_models.chat_model, catalog, graph, trained=True, samples=3)
    found = writer.write(pick, links, [liked], "I loved Fight Club")
    assert found.source == "llm-retry" and found.text == texts[2]
    assert is_specific(found.text, pick, [liked], links, graph, catalog)
    assert not is_specific(texts[1], pick, [liked], links, graph, catalog)
    monkeypatch.setattr(llm, "generate_batch", lambda *args, **kwargs: texts[:2] + texts[:1])
    assert writer.write(pick, links, [liked], "I loved Fight Club").text == texts[1]


def test_a_failed_batched_generation_keeps_every_evidence_sentence(
    tiny_agent, tiny_models, monkeypatch
):
    from crossrec.agent.llm import local_pipeline

    catalog, graph = tiny_agent.catalog, tiny_agent.retrieval.graph
    liked, picks = _fight_club_and_two_palahniuk_books(catalog)
    model = local_pipeline(tiny_models.chat_model).model

    def broken(*args, **kwargs):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(model, "generate", broken)
    writer = JustificationWriter(tiny_models.chat_model, catalog, graph, trained=True, samples=2)
    jobs = [(p, tiny_agent.finder.find(p, [liked], (), 3), [liked], "", None) for p in picks]
    finals = writer.write_many(jobs)
    assert [f.source for f in finals] == ["evidence", "evidence"]
    assert all(f.problems == ["generation failed: out of memory"] for f in finals)


def _race(
    tiny_agent, tiny_models, monkeypatch, said: dict, samples: int = 2, more=None, sampled=None
):
    """The reasons of Lullaby and Haunted (liked: Fight Club) written together with the first
    pick's rewrites racing its greedy text; ``said`` scripts each row as ``[(row, piece),
    ...]`` (the tiny model writes no true sentence). Returns (events, the rows stopped after
    each piece, the stream_batch calls, the generate_batch calls). ``more``: the second
    sentences' continuations, by the name that opens them (none: no second sentence);
    ``sampled``: the same for the sampled continuations (default: as ``more``)."""
    import crossrec.agent.llm as llm

    catalog, graph = tiny_agent.catalog, tiny_agent.retrieval.graph
    liked, picks = _fight_club_and_two_palahniuk_books(catalog)
    stops, calls, resampled = [], [], []

    def batch(pipe, conversations, stopped, sampled=frozenset(), seed=None, *sampling):
        calls.append((len(conversations), set(sampled), sampling))
        for row, piece in said:
            yield row, piece
            stops.append(set(stopped))

    def generate_batch(pipe, conversations, seed=None, **overrides):
        if conversations[0][-1][0] == "assistant":  # a second sentence, from the pick's name
            given = (sampled or more) if overrides.get("do_sample") else more
            said = [given[c[-1][1].rsplit(". ", 1)[1]] for c in conversations]
            if None in said:
                raise RuntimeError("out of memory")
            return said
        resampled.append(len(conversations))
        return ["Watch Toy Story."] * (len(conversations) * overrides["num_return_sequences"])

    monkeypatch.setattr(llm, "stream_batch", batch)
    monkeypatch.setattr(llm, "generate_batch", generate_batch)
    writer = JustificationWriter(
        tiny_models.chat_model, catalog, graph, trained=True, samples=samples, race=True,
        detail=more is not None,
    )  # fmt: skip
    jobs = [(p, tiny_agent.finder.find(p, [liked], (), 3), [liked], "", None) for p in picks]
    return list(writer.stream_many(jobs)), stops, calls, resampled


def test_the_first_picks_rewrites_race_its_greedy_text_in_the_batch(
    tiny_agent, tiny_models, monkeypatch
):
    """Rows 0-1 greedy (Lullaby, Haunted), rows 2-3 Lullaby's samples: the greedy text is
    refused; sample 2 passes but says no detail of Lullaby (held), sample 3 says one and wins
    (sample 2 stops); Haunted's greedy row goes on."""
    catalog, graph = tiny_agent.catalog, tiny_agent.retrieval.graph
    lullaby = _fight_club_and_two_palahniuk_books(catalog)[1][0]
    year = next(v for r, v in graph.facts_of(lullaby) if r == "year")
    said = [
        (0, "Watch Toy Story. "),
        (2, "Lullaby is by Chuck Palahniuk, who wrote Fight Club. "),
        (3, "Lullaby is by Chuck Palahniuk, who wrote Fight Club. "),
        (3, f"Lullaby came out in {year}. "),
        (2, "It is dark. "),  # stopped: not read
        (1, "Haunted is by Chuck Palahniuk, who wrote Fight Club. "),
        (3, None), (2, None), (1, None),
    ]  # fmt: skip
    events, stops, calls, resampled = _race(tiny_agent, tiny_models, monkeypatch, said)
    assert [call[:2] for call in calls] == [(4, {2, 3})] and calls[0][2][:2] == (0.7, 0.9)
    assert stops[2] == {0} and stops[3] == {0, 2}  # the winner stops its rival
    assert events[:2] == [
        (0, "Lullaby is by Chuck Palahniuk, who wrote Fight Club."),
        (0, f" Lullaby came out in {year}."),
    ]
    finals = {pick: e for pick, e in events if not isinstance(e, str)}
    assert finals[0].source == "llm-retry" and finals[0].problems  # why greedy's was not shown
    assert finals[0].text == events[0][1] + events[1][1]
    assert finals[1].source == "llm" and finals[1].text.startswith("Haunted is by")
    assert all(pick in (0, 1) for pick, _ in events) and resampled == []


def test_a_rewrite_that_passed_without_a_detail_is_shown_when_nothing_better_came(
    tiny_agent, tiny_models, monkeypatch
):
    said = [
        (0, "Watch Toy Story. "),
        (2, "Lullaby is by Chuck Palahniuk, who wrote Fight Club. "),  # held
        (3, "Toy Story! "),
        (1, "Haunted is by Chuck Palahniuk, who wrote Fight Club. "),
        (2, None), (3, None), (1, None),
    ]  # fmt: skip
    events, _, _, _ = _race(tiny_agent, tiny_models, monkeypatch, said)
    lullaby = [e for pick, e in events if pick == 0]
    assert lullaby[0] == "Lullaby is by Chuck Palahniuk, who wrote Fight Club."
    assert lullaby[1].source == "llm-retry" and lullaby[1].text == lullaby[0]
    assert events.index((0, lullaby[0])) > events.index((1, said[3][1].strip()))  # held till then


def test_a_first_greedy_text_that_passes_stops_the_samples(tiny_agent, tiny_models, monkeypatch):
    lullaby = _fight_club_and_two_palahniuk_books(tiny_agent.catalog)[1][0]
    year = next(v for r, v in tiny_agent.retrieval.graph.facts_of(lullaby) if r == "year")
    said = [
        (2, "Watch"),
        (0, f"Lullaby is by Chuck Palahniuk, who wrote Fight Club. Lullaby came out in {year}. "),
        (2, " Toy Story. "), (3, "Lullaby!"),  # stopped: not read
        (1, "Watch Toy Story. "),  # Haunted refused: written again after the batch
        (0, None), (1, None),
    ]  # fmt: skip
    events, stops, _, resampled = _race(tiny_agent, tiny_models, monkeypatch, said)
    assert stops[1] == {2, 3}
    finals = {pick: e for pick, e in events if not isinstance(e, str)}
    assert finals[0].source == "llm" and finals[0].text.startswith("Lullaby is by")
    assert finals[1].source == "evidence" and resampled == [1]  # Haunted only


def test_a_reason_that_says_no_detail_gets_a_second_sentence_from_the_writer(
    tiny_agent, tiny_models, monkeypatch
):
    """Both reasons pass but name only the writer: each goes back to the writer with the pick's
    name opening a second sentence. Lullaby's ("came out in <its year>") passes and is added;
    Haunted's names an actor it does not have and is dropped: a sentence composed from
    Haunted's facts takes its place, and its source says so ("llm+detail")."""
    lullaby = _fight_club_and_two_palahniuk_books(tiny_agent.catalog)[1][0]
    year = next(v for r, v in tiny_agent.retrieval.graph.facts_of(lullaby) if r == "year")
    said = [
        (0, "Lullaby is by Chuck Palahniuk, who wrote Fight Club. "), (2, "Toy Story! "),
        (3, "Toy Story! "), (1, "Haunted is by Chuck Palahniuk, who wrote Fight Club. "),
        (0, None), (1, None),
    ]  # fmt: skip
    more = {"Lullaby": f" came out in {year}. It is", "Haunted": " stars Tom Hanks."}
    events, _, _, _ = _race(tiny_agent, tiny_models, monkeypatch, said, more=more)
    finals = {pick: e for pick, e in events if not isinstance(e, str)}
    lullaby_text = (
        f"Lullaby is by Chuck Palahniuk, who wrote Fight Club. Lullaby came out in {year}."
    )
    assert finals[0].source == "llm" and finals[0].text == lullaby_text
    assert (0, f" Lullaby came out in {year}.") in events
    haunted = "Haunted is by Chuck Palahniuk, who wrote Fight Club."
    composed = finals[1].text.removeprefix(haunted + " ")
    assert finals[1].source == "llm+detail" and composed.startswith("Haunted "), finals[1]
    assert "Tom Hanks" not in composed and "Palahniuk" not in composed
    assert (1, " " + composed) in events  # shown as the writer's would be
    assert sum(not isinstance(e, str) for _, e in events) == 2  # one Justification a pick
    more["Lullaby"] = None  # the continuation fails: both get a composed sentence
    broken, _, _, _ = _race(tiny_agent, tiny_models, monkeypatch, said, more=more)
    finals = [e for _, e in broken if not isinstance(e, str)]
    assert [e.source for e in finals] == ["llm+detail", "llm+detail"]
    assert finals[0].text.startswith(lullaby_text.split(" L")[0] + " Lullaby ")
    plain, _, _, _ = _race(tiny_agent, tiny_models, monkeypatch, said)  # off: as it was
    assert {p: e for p, e in plain if not isinstance(e, str)}[0].text == lullaby_text.split(" L")[0]


def test_a_second_sentence_refused_greedy_is_sampled_before_one_is_composed(
    tiny_agent, tiny_models, monkeypatch
):
    """Haunted's greedy second sentence names an actor it does not have; its sampled ones (one
    call, the writer's samples for each) say its year: the writer's words are kept, no composed
    sentence; Lullaby's greedy sentence passed and is not sampled again."""
    catalog, graph = tiny_agent.catalog, tiny_agent.retrieval.graph
    lullaby, haunted = _fight_club_and_two_palahniuk_books(catalog)[1][:2]
    year = next(v for r, v in graph.facts_of(haunted) if r == "year")
    said = [
        (0, "Lullaby is by Chuck Palahniuk, who wrote Fight Club. "), (2, "Toy Story! "),
        (3, "Toy Story! "), (1, "Haunted is by Chuck Palahniuk, who wrote Fight Club. "),
        (0, None), (1, None),
    ]  # fmt: skip
    lullaby_year = next(v for r, v in graph.facts_of(lullaby) if r == "year")
    more = {"Lullaby": f" came out in {lullaby_year}.", "Haunted": " stars Tom Hanks."}
    sampled = {"Haunted": f" came out in {year}."}  # a KeyError if Lullaby were sampled
    events, _, _, _ = _race(tiny_agent, tiny_models, monkeypatch, said, more=more, sampled=sampled)
    finals = {pick: e for pick, e in events if not isinstance(e, str)}
    assert finals[1].source == "llm", finals[1]
    assert finals[1].text.endswith(f"Fight Club. Haunted came out in {year}.")
    assert finals[0].source == "llm" and finals[0].text.endswith(f"came out in {lullaby_year}.")


def test_a_first_pick_whose_rows_all_fail_keeps_its_evidence_sentence(
    tiny_agent, tiny_models, monkeypatch
):
    said = [(0, "Watch Toy Story. "), (2, "Toy Story!"), (3, "It is great. "), (1, None)]
    said += [(2, None), (3, None)]  # the pick is settled when its last row ends
    events, _, _, resampled = _race(tiny_agent, tiny_models, monkeypatch, said)
    finals = [(pick, e) for pick, e in events if not isinstance(e, str)]
    assert [pick for pick, _ in finals] == [0, 1]  # Lullaby when its last row ends
    assert finals[0][1].source == "evidence" and finals[0][1].problems
    assert events[:2] == [(0, finals[0][1].text), finals[0]]  # its evidence sentence, then it
    assert resampled == [1]  # only Haunted's greedy text is written again; Lullaby raced


def test_greedy_rows_stay_greedy_beside_sampled_rows(tiny_models):
    from crossrec.agent.llm import generate_batch, local_pipeline, stream_batch

    prompts = [
        [("system", "Be brief."), ("user", "Why Lullaby?")],
        [("user", "Hi")],
    ]
    pipe = local_pipeline(tiny_models.chat_model)

    def texts(rows, sampled, seed):
        out = [""] * len(rows)
        for row, piece in stream_batch(pipe, rows, None, sampled, seed, temperature=0.7, top_p=0.9):
            out[row] += piece or ""
        return [" ".join(t.split()) for t in out]

    mixed = texts(prompts + prompts, frozenset({2, 3}), seed=1)
    greedy = [" ".join(t.split()) for t in generate_batch(pipe, prompts)]
    assert mixed[:2] == greedy  # the greedy rows are what greedy decoding writes
    assert mixed == texts(prompts + prompts, frozenset({2, 3}), seed=1)  # seeded
    assert mixed[2:] != texts(prompts + prompts, frozenset({2, 3}), seed=2)[2:]


def test_no_row_writes_a_banned_token(tiny_models, monkeypatch):
    from crossrec.agent.llm import local_pipeline, stream_batch

    pipe = local_pipeline(tiny_models.chat_model)
    prompts = [[("user", "Why Lullaby?")], [("user", "Hi")]]
    written, generate = [], pipe.model.generate

    def spy(**kwargs):  # the token ids each row generated
        out = generate(**kwargs)
        written.append(out[:, kwargs["input_ids"].shape[1] :].tolist())
        return out

    monkeypatch.setattr(pipe.model, "generate", spy)
    for banned in (None, "the first three tokens each row wrote when free"):
        if banned:  # not the end or padding token: a finished row is padded with it
            ends = {pipe.tokenizer.eos_token_id, pipe.tokenizer.pad_token_id}
            banned = [[t] for row in written[0] for t in row[:3] if t not in ends]
        list(stream_batch(pipe, prompts, None, frozenset({1}), 3, 0.7, 0.9, banned))
    assert written[0] != written[1]
    assert not {t for (t,) in banned} & {t for row in written[1] for t in row}


def test_praise_words_are_banned_unless_a_title_or_fact_says_them(tiny_agent, tiny_models):
    from crossrec.agent import praise_words

    catalog, graph = tiny_agent.catalog, tiny_agent.retrieval.graph
    liked, picks = _fight_club_and_two_palahniuk_books(catalog)
    writer = JustificationWriter(tiny_models.chat_model, catalog, graph, trained=True)
    tokenizer = tiny_models.tokenizer
    jobs = [(p, tiny_agent.finder.find(p, [liked], (), 3), [liked], "", None) for p in picks]
    banned = writer._unpraised(jobs)["bad_words_ids"]
    assert banned.count(tokenizer.encode(" great", add_special_tokens=False)) == 1
    assert len(banned) == len(praise_words())
    wish = ("something good", [("genre", "Good Comedy")])  # a fact says "good": it may be written
    jobs = [(*job[:4], wish) for job in jobs]
    good = tokenizer.encode(" good", add_special_tokens=False)
    assert good not in writer._unpraised(jobs)["bad_words_ids"]
    assert JustificationWriter(tiny_models.chat_model, catalog, graph)._unpraised(jobs) == {}


def test_a_conversation_ending_with_the_writers_words_is_continued(tokenizer_dir):
    """A second sentence continues the reason as written: the prompt ends with its words (no
    end of turn, no new assistant header); any other conversation is answered."""
    from crossrec.agent.llm import _prompt_texts
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
    asked = [("system", "Write a reason."), ("user", "Pick: Lullaby")]
    answered, continued = _prompt_texts(
        tokenizer, [asked, [*asked, ("assistant", "Read it. Lullaby")]]
    )
    assert continued.endswith("Read it. Lullaby") and continued.startswith(answered[:40])
    assert not answered.rstrip().endswith("Pick: Lullaby")  # a new assistant turn opens

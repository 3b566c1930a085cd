"""Justifications: evidence sentences built from true facts, and the LLM writer's gates.

The writer is driven by LangChain's scripted ``GenericFakeChatModel``, so each test decides
what the "model" says and checks what the user is shown and how it is labelled.
"""

from __future__ import annotations

import pytest
from crossrec.agent.grounding import GroundingCheck
from crossrec.agent.justify import Justification, JustificationWriter
from crossrec.agent.phrasing import explain_pick, stock_phrase
from crossrec.retrieval.datasets.schema import Catalog, Item
from crossrec.retrieval.evidence import EvidenceLink
from crossrec.retrieval.graph import KnowledgeGraph
from crossrec.retrieval.itemspace import ItemSpace


@pytest.fixture
def small(small_items):
    catalog = Catalog("small", small_items)
    return catalog, KnowledgeGraph(ItemSpace(catalog), max_share=1.0)


SHARED = [EvidenceLink("shared_fact", 1.0, history_item="m1", fact=("director", "Ridley Scott"))]


def test_evidence_sentence_names_the_connection_and_a_true_detail(small):
    catalog, graph = small
    check = GroundingCheck(catalog, graph)
    found = explain_pick("m2", SHARED, catalog, graph)
    assert "Ridley Scott" in found.sentence and "Alien" in found.sentence
    assert "Science Fiction" in found.sentence  # a detail of the pick, not the shared fact
    assert found.connection == "same director as Alien: Ridley Scott"
    assert check.problems(found.sentence, "m2", ["m1"], SHARED) == []
    # the forms vary with the place in the reply, and every form passes the check
    forms = {explain_pick("m2", SHARED, catalog, graph, variant=v).sentence for v in range(3)}
    assert len(forms) == 3
    for sentence in forms:
        assert check.problems(sentence, "m2", ["m1"], SHARED) == []


def test_the_film_of_a_book_is_told_apart_from_the_book_by_its_domain():
    """ "The Hunger Games is by Suzanne Collins, who also wrote The Hunger Games." (seen as a
    person): where the pick and the liked item share a title, each is named with its domain."""
    writer = {"writer": ("Suzanne Collins",)}
    catalog = Catalog(
        "adaptations",
        [
            Item("b1", "book", "The Hunger Games", attributes={**writer, "year": ("2008",)}),
            Item("m1", "movie", "The Hunger Games", attributes={**writer, "year": ("2012",)}),
        ],
    )
    graph = KnowledgeGraph(ItemSpace(catalog), max_share=1.0)
    links = [
        EvidenceLink("shared_fact", 1.0, history_item="b1", fact=("writer", "Suzanne Collins"))
    ]
    for variant in range(3):
        found = explain_pick("m1", links, catalog, graph, variant=variant)
        assert "the movie The Hunger Games" in found.sentence.replace("The movie", "the movie")
        assert "the book The Hunger Games" in found.sentence.replace("The book", "the book")
        assert GroundingCheck(catalog, graph).problems(found.sentence, "m1", ["b1"], links) == []
    assert found.connection == "same writer as the book The Hunger Games: Suzanne Collins"
    # a qualifier the reply does not say ("(Fantasy Film)") leaves the two namesakes
    potter = {"writer": ("J. K. Rowling",)}
    catalog = Catalog(
        "qualified",
        [
            Item("b2", "book", "Harry Potter and the Chamber of Secrets", attributes=potter),
            Item(
                "m2",
                "movie",
                "Harry Potter and the Chamber of Secrets (Fantasy Film)",
                attributes=potter,
            ),
        ],
    )
    graph = KnowledgeGraph(ItemSpace(catalog), max_share=1.0)
    links = [EvidenceLink("shared_fact", 1.0, history_item="b2", fact=("writer", "J. K. Rowling"))]
    found = explain_pick("m2", links, catalog, graph)
    assert "the book Harry Potter" in found.sentence.replace("The book", "the book")
    assert GroundingCheck(catalog, graph).problems(found.sentence, "m2", ["b2"], links) == []


def test_a_detail_is_something_besides_what_connects_the_pick(small):
    """Chosen together with Alien and directed by Alien's director: the detail a reason says
    is Blade Runner's genre, not the director that connects it again."""
    from crossrec.agent.phrasing import compose_reason

    catalog, graph = small
    links = [EvidenceLink("cooccurrence", 2.0, history_item="m1"), SHARED[0]]
    assert explain_pick("m2", links, catalog, graph).detail[0] == ("genre", "Science Fiction")
    reason = compose_reason("m2", links, catalog, graph)
    assert "Science Fiction" in reason and "Ridley Scott" not in reason, reason


def test_a_composed_detail_says_a_fact_of_the_pick_the_reason_did_not(small):
    """ "Blade Runner is by Ridley Scott, like Alien." says no detail of Blade Runner: the
    composed sentence adds its genre, never the director again; a reason that says the genre
    already gets the next detail, and a pick with nothing left gets none."""
    from crossrec.agent.phrasing import detail_sentence, is_specific

    catalog, graph = small
    thin = "Blade Runner is by Ridley Scott, like Alien."
    sentence = detail_sentence("m2", thin, SHARED, catalog, graph)
    assert sentence.startswith("Blade Runner ") and "Science Fiction" in sentence, sentence
    assert "Ridley Scott" not in sentence
    assert is_specific(f"{thin} {sentence}", "m2", ["m1"], SHARED, graph, catalog)
    genre = "Like Alien, Blade Runner is Science Fiction."
    assert "Science Fiction" not in detail_sentence("m2", genre, SHARED, catalog, graph)
    everything = " ".join(v for _, v in graph.facts_of("m2"))
    assert detail_sentence("m2", everything, SHARED, catalog, graph) == ""
    assert detail_sentence("m2", thin, SHARED, catalog, None) == ""


@pytest.mark.parametrize(
    "links, wish, kind, words",
    [
        ([EvidenceLink("cooccurrence", 1.0, history_item="b1")], None, "cooccurrence", ["Dune"]),
        ([EvidenceLink("named_fact", 2.0, fact=("genre", "Horror"))], None, "named", ["Horror"]),
        ([], ("scary", [("genre", "Horror")]), "wish", ["scary", "Horror"]),
        ([], None, "nothing", ["ranked high"]),
    ],
)
def test_each_kind_of_connection_reads_as_a_sentence(small, links, wish, kind, words):
    catalog, graph = small
    found = explain_pick("b2", links, catalog, graph, wish)
    assert found.kind == kind
    assert found.sentence.startswith(("The Shining", "People", "Fans", "You", "For", "Like"))
    assert all(w in found.sentence for w in words), found.sentence
    assert "Stephen King" in found.sentence or kind == "named"  # the pick's own detail
    assert GroundingCheck(catalog, graph).problems(found.sentence, "b2", ["b1"], links) == []


def test_a_wish_fact_is_said_once_though_several_links_hold_it(small):
    """ "For 'family night': X is filed under Family. You asked for Family: X is filed under
    it": a liked fact the wish also holds, linked twice, was said after the wish's."""
    catalog, graph = small
    horror = EvidenceLink("named_fact", 2.0, fact=("genre", "Horror"))
    links = [horror, EvidenceLink("named_fact", 1.0, fact=("genre", "Horror"))]
    found = explain_pick("b2", links, catalog, graph, ("scary", [("genre", "Horror")]))
    assert found.sentence.count("Horror") == 1, found.sentence
    # a value spelt two ways ("Family" and "Family (Film genre) #395") is said once too: "is
    # filed under Family. X is filed under Family and Family, which you asked for."
    spelt = EvidenceLink("named_fact", 2.0, fact=("genre", "Horror (Film genre) #395"))
    for links in ([spelt, horror], [horror, spelt]):
        found = explain_pick("b2", links, catalog, graph, ("scary", [("genre", "Horror")]))
        assert found.sentence.count("Horror") == 1, found.sentence
        found = explain_pick("b2", links, catalog, graph)
        assert found.sentence.count("Horror") == 1, found.sentence


def test_a_named_fact_the_wish_says_a_kind_of_is_not_said_again():
    """ "Zombieland fits your wish 'zombie comedy': it is filed under Zombie Film and Comedy.
    Zombieland is filed under Zombie and Comedy, which you asked for." said Zombie twice."""
    genres = ("Zombie Film", "Zombie", "Comedy")
    others = [
        Item(f"o{n}", "movie", f"Film {n}", attributes={"genre": (f"G{n}",)}) for n in range(20)
    ]
    shaun = Item("z1", "movie", "Shaun of the Dead", attributes={"genre": genres})
    catalog = Catalog("z", [shaun, *others])
    graph = KnowledgeGraph(ItemSpace(catalog), max_share=1.0)
    links = [EvidenceLink("named_fact", 2.0, fact=("genre", g)) for g in ("Zombie", "Comedy")]
    wish = ("zombie comedy", [("genre", "Zombie Film"), ("genre", "Comedy")])
    found = explain_pick("z1", links, catalog, graph, wish)
    assert found.sentence.count("Zombie") == 1, found.sentence


def test_a_wish_of_two_kinds_of_fact_says_both(small):
    """ "recent sci-fi movies" said only "is filed under Sci-Fi": the year that made it recent
    was unsaid. One fact of each kind of the wish it holds is said (two at most)."""
    catalog, graph = small
    wish = ("scary", [("genre", "Horror"), ("writer", "Stephen King")])
    found = explain_pick("b2", [], catalog, graph, wish)
    said = "is filed under Horror and is written by Stephen King"
    assert said in found.sentence and found.sentence.count("King") == 1, found.sentence


def test_every_named_person_a_pick_holds_is_said_once(small):
    """ "stars Angelina Jolie, whom you mentioned" of Mr. & Mrs. Smith, asked with Brad Pitt:
    the named facts of one relation are said together, a name spelt two ways once ("by J. K.
    Rowling and J.K. Rowling")."""
    catalog, graph = small
    king = EvidenceLink("named_fact", 2.0, fact=("writer", "Stephen King"))
    spelt = EvidenceLink("named_fact", 2.0, fact=("writer", "Stephen  king"))
    other = EvidenceLink("named_fact", 1.0, fact=("writer", "Peter Straub"))
    found = explain_pick("b2", [king, spelt, other], catalog, graph, variant=1)
    assert found.sentence.startswith("The Shining is by Stephen King and Peter Straub, whom you")


def test_stock_praise_is_found_and_rejected(small):
    catalog, graph = small
    for text in ("Dune is a great choice for you!", "Dune, a fan favorite.", "A must-read."):
        assert stock_phrase(text), text
    assert stock_phrase("Dune is by Frank Herbert, who also wrote Children of Dune.") is None
    title = "The Amazing Spider-Man is a classic"  # praise words inside names are names
    assert stock_phrase(title) and not stock_phrase(title, ["The Amazing Spider-Man", "classic"])
    problems = GroundingCheck(catalog, graph).problems("Dune is a great pick.", "b1", [], [])
    assert any("stock praise" in p for p in problems)


def _writer(small, replies):
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    catalog, graph = small
    model = GenericFakeChatModel(messages=iter([AIMessage(content=r) for r in replies]))
    return JustificationWriter(model, catalog, graph)


def test_writer_keeps_its_own_checked_text_and_labels_copies_as_evidence(small):
    own = "Since Alien scared you, Blade Runner is more Ridley Scott, in Science Fiction."
    writer = _writer(small, [own])
    assert writer.write("m2", SHARED, ["m1"], "something like Alien") == Justification(own, "llm")
    note = explain_pick("m2", SHARED, *small).sentence
    copied = _writer(small, [note]).write("m2", SHARED, ["m1"])
    assert (copied.text, copied.source) == (note, "evidence")  # a copy is not the model's text


def test_writer_retries_once_then_falls_back_to_the_evidence_sentence(small):
    bad = ["Blade Runner is a great choice!", "You will love Toy Story."]
    result = _writer(small, bad).write("m2", SHARED, ["m1"])
    assert result.source == "evidence"
    assert result.text == explain_pick("m2", SHARED, *small).sentence
    assert any("stock praise" in p for p in result.problems)
    assert any("Toy Story" in p for p in result.problems)  # names an item outside the history
    retried = _writer(small, bad[:1] + ["Blade Runner is from Ridley Scott, like Alien."])
    assert retried.write("m2", SHARED, ["m1"]).source == "llm-retry"


def test_streamed_writer_shows_only_checked_sentences(small):
    good = "Blade Runner is from Ridley Scott, like Alien."
    chunks = list(_writer(small, [good + " It is a great choice."]).stream("m2", SHARED, ["m1"]))
    final = chunks[-1]
    assert "".join(chunks[:-1]) == good and final == Justification(good, "llm", final.problems)
    failed = list(_writer(small, ["Watch Toy Story."]).stream("m2", SHARED, ["m1"]))
    assert failed[-1].source == "evidence" and failed[0] == failed[-1].text


def test_a_sentence_cut_off_by_the_token_limit_is_not_shown(small):
    good = "Blade Runner is from Ridley Scott, like Alien."
    cut = good + " It is filed under Science"
    assert _writer(small, [cut]).write("m2", SHARED, ["m1"]) == Justification(good, "llm")
    chunks = list(_writer(small, [cut]).stream("m2", SHARED, ["m1"]))
    assert "".join(chunks[:-1]) == good and chunks[-1].text == good


def test_writer_prompt_cuts_the_message_by_tokens(small, tokenizer_dir):
    from transformers import AutoTokenizer

    catalog, graph = small
    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)

    class Model:  # only the tokenizer is read when the prompt is built
        pass

    model = Model()
    model.tokenizer = tokenizer
    writer = JustificationWriter(model, catalog, graph, message_tokens=40)
    for message in ("🎬🍿" * 500, "我" * 5000, "https://x.io/" + "a%F0" * 3000, "Alien " * 900):
        said = writer.messages("m2", SHARED, ["m1"], message)[-1][1].split("User's message: ")[1]
        assert len(tokenizer(said, add_special_tokens=False)["input_ids"]) <= 40


def test_specificity_needs_a_connection_and_a_detail_of_the_pick(small):
    from crossrec.evaluation.justification import is_specific

    catalog, graph = small

    def specific(text):
        return is_specific(text, "m2", ["m1"], SHARED, graph, catalog)

    assert specific(explain_pick("m2", SHARED, catalog, graph).sentence)
    assert not specific("Blade Runner is by Ridley Scott, like Alien.")  # no detail of the pick
    assert not specific("Blade Runner is Science Fiction.")  # nothing connects it to the user
    assert specific("Like Alien, Blade Runner is Science Fiction.")
    together = [EvidenceLink("cooccurrence", 1.0, history_item="m1")]
    # bought or chosen with a liked item: that is the connection, any fact of the pick a detail
    after = "After Alien, many people picked Blade Runner, by Ridley Scott."
    assert is_specific(after, "m2", ["m1"], together, graph, catalog)
    # two linked facts said: one connects, the other is a detail
    both = [*SHARED, EvidenceLink("named_fact", 2.0, fact=("genre", "Science Fiction"))]
    two = "Blade Runner is by Ridley Scott and is Science Fiction."
    assert is_specific(two, "m2", ["m1"], both, graph, catalog)
    assert not is_specific(two, "m2", ["m1"], both, graph, catalog, strict=True)
    assert is_specific(after, "m2", ["m1"], together, graph, catalog, strict=True)
    # a liked title inside the pick's is not named: "Toy Story 2" says no "Toy Story"
    sequel = Catalog("s", [*catalog, Item("m4", "movie", "Blade Runner 2", attributes={
        "director": ("Denis Villeneuve",), "genre": ("Science Fiction",)})])  # fmt: skip
    sequel_graph = KnowledgeGraph(ItemSpace(sequel), max_share=1.0)
    said = "Blade Runner 2 is Science Fiction."
    assert not is_specific(said, "m4", ["m2"], [], sequel_graph, sequel)
    assert is_specific("Like Blade Runner, " + said, "m4", ["m2"], [], sequel_graph, sequel)
    # the other way round: a liked sequel is named beside a pick whose title is inside it
    said = "Blade Runner is Science Fiction, like Blade Runner 2."
    assert is_specific(said, "m2", ["m4"], [], sequel_graph, sequel)
    # the pick's own name connects it to nothing, though the history holds it
    own = "Blade Runner is Science Fiction."
    assert not is_specific(own, "m2", ["m2"], [], graph, catalog)
    assert not is_specific(own, "m2", ["m2"], [], graph, catalog, strict=True)


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("Blade Runner is directed by Ridley Scott, like Alien.", False),
        ("Ridley Scott directed both Alien and Blade Runner.", False),
        ("Blade Runner stars Ridley Scott, like Alien.", True),  # he directed it
        ("Blade Runner, written by Ridley Scott, is like Alien.", True),
        ("Blade Runner came out in 1982, like Alien.", True),  # no year fact says so
        ("Blade Runner is by Ridley Scott, like Alien.", False),  # no role claimed
    ],
)
def test_the_check_refuses_wrong_roles_and_unsupported_years(small, text, wrong):
    catalog, graph = small
    found = GroundingCheck(catalog, graph).problems(text, "m2", ["m1"], SHARED)
    assert bool(found) is wrong, found
    if wrong:
        assert any("role" in p or "year" in p for p in found), found


def test_a_reason_must_say_what_connects_the_pick(small):
    true_but_no_reason = "Blade Runner is filed under Science Fiction."
    result = _writer(small, [true_but_no_reason, true_but_no_reason]).write("m2", SHARED, ["m1"])
    assert result.source == "evidence"
    assert "does not say what connects the pick to the user" in result.problems
    says_why = "Blade Runner has Ridley Scott behind it too, so it suits a fan of Alien."
    assert _writer(small, [says_why]).write("m2", SHARED, ["m1"]).source == "llm"
    streamed = list(_writer(small, [true_but_no_reason]).stream("m2", SHARED, ["m1"]))
    assert streamed[-1].source == "evidence"


def test_a_role_must_hold_on_the_item_the_sentence_names():
    """A liked item's actor is not the pick's: "Dune stars Kyle MacLachlan" for the book is
    refused though he starred in the liked film; the same role said of the film passes."""
    from crossrec.retrieval.datasets.schema import Item

    items = [
        Item(
            "f", "movie", "Dune (Science Fiction Film)", attributes={"actor": ("Kyle MacLachlan",)}
        ),
        Item("d", "book", "Dune", attributes={"writer": ("Frank Herbert",)}),
        Item("g", "book", "God Emperor of Dune", attributes={"writer": ("Frank Herbert",)}),
    ]
    catalog = Catalog("dunes", items)
    graph = KnowledgeGraph(ItemSpace(catalog), max_share=1.0)
    check = GroundingCheck(catalog, graph)
    shared = [EvidenceLink("shared_fact", 1.0, history_item="d", fact=("writer", "Frank Herbert"))]
    # the pick said by its spoken name ("Dune" of the qualified film title) is the pick
    assert catalog.spoken("f") == "Dune"
    assert check.problems("Dune stars Kyle MacLachlan.", "f", ["g"], []) == []
    wrong = check.problems(
        "God Emperor of Dune stars Kyle MacLachlan, who was in Dune.", "g", ["f"], shared
    )
    assert any("has 'Kyle MacLachlan' as actor" in p for p in wrong), wrong
    right = "Kyle MacLachlan stars in Dune, a film for a reader of God Emperor of Dune."
    assert check.problems(right, "f", ["g"], []) == []

    def role_problems(text):
        return [p for p in check.problems(text, "g", ["f"], shared) if " as actor" in p]

    # the role word's side decides which item a claim is about; ";" ends no sentence; a
    # sentence naming no item ("It stars ...") is about the pick
    assert not role_problems(
        "Since you liked Dune, starring Kyle MacLachlan, try God Emperor of Dune."
    )
    assert role_problems("God Emperor of Dune is by Frank Herbert; it also stars Kyle MacLachlan.")
    assert role_problems("Try God Emperor of Dune. It stars Kyle MacLachlan.")


def test_any_true_connection_says_what_connects(small):
    """The reason may name any linked fact or liked item, not only the one listed first."""
    links = [
        EvidenceLink("shared_fact", 1.0, history_item="m1", fact=("director", "Ridley Scott")),
        EvidenceLink("named_fact", 0.5, fact=("genre", "Science Fiction")),
    ]
    text = "Blade Runner is Science Fiction, the genre you asked about."
    assert _writer(small, [text]).write("m2", links, ["m1"]).source == "llm"
    assert _writer(small, [text]).write("m2", links[:1], ["m1"]).source == "evidence"
    # a liked name counts as a whole word: "Alien" is not said inside "Aliens"
    inside = "Blade Runner is Science Fiction, with Aliens of a kind."
    assert _writer(small, [inside]).write("m2", links[:1], ["m1"]).source == "evidence"


def test_an_opening_that_answers_no_question_is_dropped(small):
    """ "Yes, ..." was learned from dialog replies; the rest of the text is the writer's."""
    said = "Yes, Blade Runner is from Ridley Scott, like Alien."
    assert _writer(small, [said]).write("m2", SHARED, ["m1"]) == Justification(
        "Blade Runner is from Ridley Scott, like Alien.", "llm"
    )
    streamed = list(_writer(small, ["Sure! " + said]).stream("m2", SHARED, ["m1"]))
    assert streamed[0] == "Blade Runner is from Ridley Scott, like Alien."
    assert streamed[-1].text == streamed[0] and streamed[-1].source == "llm"
    from crossrec.agent.sentences import plain as _plain

    kept = "Yesterday's Alien director made Blade Runner."
    assert _plain(kept) == kept and _plain("Yes!") == "" and _plain("Sure, yes. Ok.") == "Ok."
    assert _plain("Yes Man is a comedy.") == "Yes Man is a comedy."  # a title, not a "yes"


def test_a_full_stop_inside_a_name_ends_no_sentence():
    """ "written by David O." had been shown as a whole sentence: the stream split at the
    initial, and a text cut off after it looked ended; "try Project X." must still end one."""
    from crossrec.agent.sentences import _split
    from crossrec.agent.sentences import whole_sentences as _whole_sentences

    names = ["David O. Russell"]
    text = "Three Kings was written by David O. Russell. It stars George Clooney and"
    assert _split(text, names)[0] == "Three Kings was written by David O. Russell."
    assert _split(text, [])[0] == "Three Kings was written by David O."
    assert _whole_sentences(text, names) == "Three Kings was written by David O. Russell."
    cut = "Three Kings is a comedy and it was written by David O."
    assert _whole_sentences(cut + " Russell and", names) == cut + " Russell and"  # all there is
    assert _split("Since you loved Superbad, try Project X. It is a comedy.", names)[0] == (
        "Since you loved Superbad, try Project X."
    )
    assert _whole_sentences("You loved Superbad, so try Project X.") == (
        "You loved Superbad, so try Project X."
    )


def test_a_streamed_reason_keeps_a_name_with_an_initial_whole():
    from crossrec.retrieval.datasets.schema import Item

    items = [
        Item("k", "movie", "Three Kings", attributes={"director": ("David O. Russell",)}),
        Item("s", "movie", "Silver Linings Playbook", attributes={"director": ("David O. Russell",)}),
    ]  # fmt: skip
    catalog = Catalog("initials", items)
    graph = KnowledgeGraph(ItemSpace(catalog), max_share=1.0)
    links = [
        EvidenceLink("shared_fact", 1.0, history_item="s", fact=("director", "David O. Russell"))
    ]
    said = "David O. Russell made Silver Linings Playbook and Three Kings. It has"
    chunks = list(_writer((catalog, graph), [said]).stream("k", links, ["s"]))
    assert chunks[-1].text == "David O. Russell made Silver Linings Playbook and Three Kings.", (
        chunks[-1].problems
    )
    assert chunks[-1].source == "llm"


@pytest.mark.parametrize(
    ("text", "made_up"),
    [
        ("Blade Runner is directed by Ridley Scott, like Alien.", None),
        ("If you liked Alien, Blade Runner is Science Fiction by Ridley Scott.", None),
        ("Blade Runner stars Theo and Thea, like Alien by Ridley Scott.", "Theo"),
        ("Ridley Scott made Blade Runner at Disneyland, like Alien.", "Disneyland"),
        ("Theo directed Alien. Ridley Scott directed Blade Runner too.", None),  # first words
        ('Like Alien, Blade Runner is "Science Fiction." He is Ridley Scott.', None),
        ("Blade Runner fits your wish 'Something Dark': Ridley Scott, like Alien.", None),
        ("Blade Runner fits your wish: Ridley Scott, like Alien, with Theo.", "Theo"),
    ],
)
def test_a_name_no_title_or_fact_has_is_refused(small, text, made_up):
    catalog, graph = small
    found = GroundingCheck(catalog, graph).problems(text, "m2", ["m1"], SHARED, "something dark")
    names = [p for p in found if "no title or fact here has" in p]
    assert names == ([f"names {made_up!r}, which no title or fact here has"] if made_up else [])

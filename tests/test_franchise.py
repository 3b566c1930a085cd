"""Franchises found from titles and shared people, and the wishes and reasons that use them."""

from __future__ import annotations

import pytest
from crossrec.agent.grounding import GroundingCheck
from crossrec.agent.phrasing import explain_pick
from crossrec.agent.sequels import sequel_facts
from crossrec.agent.wishes import WishMapper
from crossrec.retrieval.datasets.schema import Catalog, Item
from crossrec.retrieval.evidence import EvidenceLink
from crossrec.retrieval.franchise import FRANCHISE
from crossrec.retrieval.graph import KnowledgeGraph
from crossrec.retrieval.itemspace import ItemSpace

HG = (FRANCHISE, "The Hunger Games")


# id | domain | title | facts ("relation: value|value; ...")
_ROWS = """
hg | book | The Hunger Games | writer: Suzanne Collins
hgf | movie | The Hunger Games (Science Fiction Film) | writer: Suzanne Collins; actor: Jennifer Lawrence
cf | movie | The Hunger Games: Catching Fire | actor: Jennifer Lawrence; director: Francis Lawrence
mj | movie | The Hunger Games: Mockingjay - Part 1 | actor: Jennifer Lawrence; director: Francis Lawrence
brave | movie | Brave | director: Mark Andrews
bnw | book | Brave New World | writer: Aldous Huxley
hp1 | book | Harry Potter and the Philosopher's Stone | writer: J. K. Rowling
hp1f | movie | Harry Potter and the Philosopher's Stone (Fantasy Film) | writer: J. K. Rowling; actor: Daniel Radcliffe|Emma Watson
hp2 | book | Harry Potter and the Chamber of Secrets | writer: J. K. Rowling
hp2f | movie | Harry Potter and the Chamber of Secrets | writer: J. K. Rowling; actor: Daniel Radcliffe|Emma Watson
hp3f | movie | Harry Potter and the Prisoner of Azkaban | actor: Daniel Radcliffe|Emma Watson
c1 | book | The Murder of Roger Ackroyd | writer: Agatha Christie
c2 | book | The Murder on the Links | writer: Agatha Christie
c3 | book | The Murder at the Vicarage | writer: Agatha Christie
matrix | movie | The Matrix | actor: Keanu Reeves|Carrie-Anne Moss
reloaded | movie | The Matrix Reloaded | actor: Keanu Reeves|Carrie-Anne Moss
red | movie | RED | actor: Bruce Willis|Brian Cox
reddragon | movie | Red Dragon | actor: Anthony Hopkins|Brian Cox
jane | book | Jane Eyre | writer: Charlotte Brontë
janef | movie | Jane Eyre (Romance Film) | actor: Mia Wasikowska
frozen | movie | Frozen | director: Adam Green
frozen2 | movie | Frozen | director: Chris Buck
cr | book | Chain Reaction | writer: Simone Elkeles; year: 2011
crf | movie | Chain Reaction (Action Film) | actor: Keanu Reeves; year: 1996
hob | book | The Hobbit or There and Back Again | writer: J.R.R. Tolkien
hob1 | movie | The Hobbit: An Unexpected Journey | director: Peter Jackson
hob2 | movie | The Hobbit: The Desolation of Smaug | director: Peter Jackson
hob3 | movie | The Hobbit: The Battle of the Five Armies | director: Peter Jackson
uw | book | Underworld | writer: Don DeLillo
uw2 | movie | Underworld: Evolution | actor: Kate Beckinsale
uw3 | movie | Underworld: Awakening | actor: Kate Beckinsale
doa | movie | Dead or Alive | actor: Devon Aoki
doa2 | movie | Dead or Alive 2 | actor: Devon Aoki
doab | book | Dead or Alive | writer: Tom Clancy
dead | book | Dead: A Novel | writer: Ann Other
"""


def _catalog() -> Catalog:
    """A few franchises and look-alikes (Christie's "The Murder ...": one writer, titles begun
    alike, no franchise) among 300 unrelated books, so that one writer's or actor's items are a
    small share of the catalog: specific facts, not grouping ones."""
    items = []
    for line in _ROWS.strip().splitlines():
        item_id, domain, title, facts = (part.strip() for part in line.split("|", 3))
        pairs = (fact.split(": ") for fact in facts.split("; "))
        attributes = {r: tuple(v.split("|")) for r, v in pairs}
        items.append(Item(item_id, domain, title, attributes=attributes))
    items += [
        Item(f"x{n}", "book", f"Book {n}", attributes={"writer": (f"W{n}",)}) for n in range(300)
    ]
    return Catalog("franchises", items)


@pytest.fixture(scope="module")
def graph() -> KnowledgeGraph:
    return KnowledgeGraph(ItemSpace(_catalog()))


def _franchises(graph: KnowledgeGraph, item_id: str) -> list[str]:
    return [value for relation, value in graph.facts_of(item_id) if relation == FRANCHISE]


def test_titles_going_on_from_a_name_and_held_together_by_people_are_one_franchise(graph):
    # the novel shares no one with the third film: the franchise joins them
    assert graph.shared("hg", "mj") == [HG]
    assert set(graph.items_with(HG)) == {"hg", "hgf", "cf", "mj"}
    # words that begin titles but are no title: "Harry Potter" of "Harry Potter and the ..."
    hp = {"hp1", "hp1f", "hp2", "hp2f", "hp3f"}
    assert set(graph.items_with((FRANCHISE, "Harry Potter"))) == hp
    # begun alike, shared by nobody or by one writer only: no franchise
    # a title in capitals goes on only as written: "RED" is not continued by "Red Dragon"
    for item_id in ("brave", "bnw", "c1", "c2", "c3", "x1", "red", "reddragon"):
        assert _franchises(graph, item_id) == [], item_id
    # a franchise is named by its titles, never linked as a name of its own
    assert all(f[0] != FRANCHISE for facts in graph.names().values() for f in facts)
    assert _franchises(KnowledgeGraph(ItemSpace(_catalog()), franchises=False), "mj") == []


def test_a_franchise_is_said_once_on_a_card_and_passes_the_grounding_check(graph):
    catalog = graph.space.catalog
    link = [EvidenceLink("shared_fact", 1.0, history_item="hg", fact=HG)]
    found = explain_pick("mj", link, catalog, graph)
    assert found.connection == "same franchise as The Hunger Games"  # not ": The Hunger Games"
    assert "franchise The Hunger Games" in found.sentence
    assert GroundingCheck(catalog, graph).problems(found.sentence, "mj", ["hg"], link) == []


def test_an_answer_about_an_item_says_its_franchise(graph):
    from crossrec.agent.about import about

    said = about("mj", "Tell me about it", graph.space.catalog, graph)
    assert "is part of the franchise The Hunger Games" in said, said
    own = about("hg", "Tell me about it", graph.space.catalog, graph)  # its own name: not said
    assert "franchise" not in own, own


def test_a_wish_for_sequels_means_the_franchise_of_what_was_named(graph):
    matrix = (FRANCHISE, "The Matrix")
    assert sequel_facts("no matrix sequels", ["hg", "matrix"], graph) == (matrix,)
    assert sequel_facts("any sequels", ["hg", "matrix"], graph) == (matrix, HG)  # latest first
    # a book with no franchise: its writer's books (a series may not begin with its title),
    # said as such; a film with none: not understood
    assert sequel_facts("any sequels", ["bnw"], graph) == (("writer", "Aldous Huxley"),)
    assert sequel_facts("any sequels", ["brave"], graph) == ()
    assert WishMapper(graph, embedder=None).map("sequels", history=["bnw"]).summary == (
        "books by Aldous Huxley"
    )
    assert sequel_facts("something funnier", ["hg"], graph) is None
    # the title named in the message, though linked out of the wish's words ("no Shrek sequels")
    assert sequel_facts("sequels", ["matrix", "hg"], graph, named=["matrix"]) == (matrix,)
    # stop words name no franchise ("the" of "The Matrix"); more words are a wish of their own
    assert sequel_facts("sequels of the hunger games", ["matrix", "hg"], graph) == (HG,)
    assert sequel_facts("fantasy saga", ["hg"], graph) is None
    wish = WishMapper(graph, embedder=None).map("matrix sequels", negative=True, history=["matrix"])
    assert wish.facts == (matrix,) and wish.negative
    assert wish.summary == "the franchise The Matrix"


def test_one_title_in_two_domains_is_one_story(graph):
    """ "Have you got Jane Eyre as a film?" gave Blade Runner: the novel and its film share no
    writer, director or actor (30 of OpenDialKG's 45 such pairs share nothing specific)."""
    jane = (FRANCHISE, "Jane Eyre")
    assert set(graph.items_with(jane)) == {"jane", "janef"}
    assert _franchises(graph, "frozen") == []  # one title twice in one domain: no story told
    assert _franchises(graph, "cr") == []  # a novel written 15 years after the film: no story
    found = explain_pick(
        "janef", [EvidenceLink("shared_fact", 1.0, "jane", jane)], graph.space.catalog, graph
    )
    assert found.connection == "the same story as the book Jane Eyre"
    assert found.sentence.startswith("The movie Jane Eyre tells the same story as the book Jane")
    link = [EvidenceLink("shared_fact", 1.0, "jane", jane)]
    assert (
        GroundingCheck(graph.space.catalog, graph).problems(found.sentence, "janef", ["jane"], link)
        == []
    )


def test_a_series_of_subtitled_titles_tells_the_story_of_its_name_in_another_domain(graph):
    """ "I liked The Hobbit", then "only movies", gave no Hobbit film: the novel and Peter
    Jackson's films of it share no one, and the films' titles only begin with its name. A
    name of fewer items is as often two works (the novel "Underworld", two films)."""
    hobbit = (FRANCHISE, "The Hobbit")
    assert set(graph.items_with(hobbit)) == {"hob", "hob1", "hob2", "hob3"}
    assert "hob" not in graph.items_with((FRANCHISE, "Underworld"))
    assert _franchises(graph, "uw") == []
    # "or" begins an alternative title of three words or more: "Dead or Alive" is no "Dead"
    assert _franchises(graph, "dead") == [] and not graph.items_with((FRANCHISE, "Dead"))

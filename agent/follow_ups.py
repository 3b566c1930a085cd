"""How a follow-up says it is of the kept wish's kind of thing, or for it.

"sticky notes", then "shaped like animals", asks for sticky notes shaped so, not for leather
shapes; "markers", then "for fabric", for fabric markers; "tape for it" for tape that goes
with the kept kind. :func:`crossrec.agent.nlu.understand` marks a message by these patterns
and :mod:`crossrec.agent.refine` reads the marks.
"""

from __future__ import annotations

import re

__all__ = ["FOR_KEPT", "FOR_ONLY", "OF_KEPT", "SAYING_HOW"]

# said of the kept wish's kind: "watercolor ones", "in white", "a smaller one", "shaped like
# animals", "made of wood", "with dots instead of lines"
OF_KEPT = re.compile(  # not "pencils for this one": what goes with it
    r"\b(?!(?:this|that|these|those|for|with|to|which|what|any|other|another|next|last|first)\b)"
    r"[a-z-]+ ones?\b|^\W*(?:but |and |maybe |preferably |ideally )?(?:(?:ones? |some )?"
    r"(?:in|with|shaped like|shaped as|in the shape of|made (?:of|from|out of)) )"
    r"(?:an? )?\w+(?: \w+)?(?: instead(?: of \w+)?)?\W*$",
    re.I,
)
# words saying how a thing is, not what it is: "shaped like animals" is for titles saying animals
SAYING_HOW = frozenset({"shaped", "shape", "made", "out", "looks", "look", "looking", "style"})
FOR_KEPT = re.compile(  # "ink pads for them", "tape for it": for the kept wish's kind
    r"\bfor\s+(?:it|them|this(?:\s+one)?|that(?:\s+one)?|these|those|mine)\s*(?:[?.!,]|please|$)",
    re.I,  # not "for this summer", "for those who knit"
)
FOR_ONLY = re.compile(  # "for kids", "something for fabric", "any for a laser printer?": only
    # what the thing is for, said of the kept wish's kind where its titles say so
    r"^\W*(?:(?:and|but|maybe|preferably|ideally|what|how|about|any|anything|something|some|"
    r"ones?|those|good|suitable|made|meant|that|which|is|are|works?)\s+)*for\s+"
    r"(?!(?:it|them|this|that|these|those|mine)\b)[\w-]+(?:\s+[\w-]+){0,3}\W*$",
    re.I,
)

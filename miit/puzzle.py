"""The pages' human check: a slider to move into a gap, drawn by the server and checked by it (no JavaScript).

The page shows a track with a gap at one of ten positions and an ``<input type="range">`` below it; the visitor
slides the block to the gap and submits. The position is kept in the session and used once, so every showing of a
form has a new one. The label also says the position in words, so it works with a screen reader too.
"""

import secrets

SESSION_KEY = "miit:slider"
POSITIONS = 10


def puzzle_new(request, form: str) -> int:
    target = 2 + secrets.randbelow(POSITIONS - 1)  # 2…10: never where the slider starts (0) or one step from it
    request.session[f"{SESSION_KEY}:{form}"] = target
    return target


def puzzle_solved(request, form: str, value) -> bool:
    target = request.session.pop(f"{SESSION_KEY}:{form}", None)
    try:
        return target is not None and int(value) == int(target)
    except (TypeError, ValueError):
        return False

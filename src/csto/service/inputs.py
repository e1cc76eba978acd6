"""Turning what a user names into a crisis or a question: an id of the World's catalogue, or a file.

    CrisisInput                       the crisis and the hash of the bytes it came from
    crisis_argument(world, arg)       a shipped case id, or a path to a crisis file (.yaml/.yml)
    crisis_text(text, name)           a crisis file's text (an upload), through the same loader
    QuestionInput, question_argument(world, arg), question_text(text, name)
                                      the same for the Council's other questions

An id resolves only inside the catalogue. Anything else must be a file ending in .yaml or .yml;
nothing else is opened, so `csto assess /etc/passwd` is refused without reading the file, and no
error message repeats a file's contents.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from csto.domain.crisis import Crisis, parse_crisis
from csto.domain.errors import CrisisFileError, NotFound, Problem, QuestionFileError
from csto.domain.question import Question, parse_question
from csto.domain.yamlfiles import parse_yaml, read_text
from csto.world import World

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class CrisisInput:
    crisis: Crisis
    file_hash: str | None


def crisis_argument(world: World, arg: str) -> CrisisInput:
    if arg in world.cases:
        return CrisisInput(world.cases.get(arg), world.cases.file_hash(arg))
    path = Path(arg)
    if path.suffix.lower() not in SUFFIXES:
        looks_like_path = "/" in arg or "\\" in arg or path.suffix
        if looks_like_path:
            raise CrisisFileError(
                arg,
                [
                    Problem(
                        "",
                        path.suffix or "no suffix",
                        "allowed: a crisis file ending in .yaml or .yml, or the id of a shipped case",
                    )
                ],
            )
        raise NotFound("crisis file or case", arg, tuple(world.cases.ids()))
    text = read_text(path, CrisisFileError)
    return crisis_text(text, arg)


def crisis_text(text: str, name: str) -> CrisisInput:
    raw = parse_yaml(text, name, CrisisFileError)
    return CrisisInput(parse_crisis(raw, name), hashlib.sha256(text.encode()).hexdigest())


@dataclass(frozen=True)
class QuestionInput:
    question: Question
    file_hash: str | None
    name: str | None = None  # the file or upload it came from, for errors


def question_argument(world: World, arg: str) -> QuestionInput:
    if arg in world.questions:
        return QuestionInput(world.questions.get(arg), world.questions.file_hash(arg))
    path = Path(arg)
    if path.suffix.lower() not in SUFFIXES:
        if "/" in arg or "\\" in arg or path.suffix:
            allowed = (
                "allowed: a question file ending in .yaml or .yml, or the id of a shipped question"
            )
            raise QuestionFileError(arg, [Problem("", path.suffix or "no suffix", allowed)])
        raise NotFound("question file or question", arg, tuple(world.questions.ids()))
    return question_text(read_text(path, QuestionFileError), arg)


def question_text(text: str, name: str) -> QuestionInput:
    raw = parse_yaml(text, name, QuestionFileError)
    digest = hashlib.sha256(text.encode()).hexdigest()
    return QuestionInput(parse_question(raw, name), digest, name)

"""The glossary every report ends with, and the links from the first use of each term to it.

Acronyms are spelled out at their first use ("Ta'ang National Liberation Army (TNLA)"); other terms are
linked as written. The linker skips headings, code, links, URLs and HTML, so titles and citations are left alone.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    anchor: str
    term: str
    definition: str
    pattern: str                 # regular expression of its uses in the text
    expansion: str | None = None  # acronyms: the words it stands for, spelled out at the first use
    ignore_case: bool = False


TERMS: tuple[Term, ...] = (
    Term("central-estimate", "Central estimate",
         "The model's result with every uncertain input at its central value: its posterior median, after the "
         "calibration (every report unless it says it draws from the priors), else its most likely value under its "
         "prior (the mode). It is the one number the text, tables and charts give for a quantity; the 90% interval "
         "gives its range.",
         r"central estimates?", ignore_case=True),
    Term("interval", "90% interval",
         "The range from the 5th to the 95th percentile (P5 to P95) of the Monte Carlo draws: nine draws in ten fall "
         "inside it. It carries the uncertainty of the inputs, not errors in the structure of the model.",
         r"90% intervals?"),
    Term("p5-p95", "P5, P95 (5th and 95th percentiles)",
         "The values below which 5% and 95% of the Monte Carlo draws fall; P25 and P75 bound the middle half.",
         r"\bP(?:5|95|25|75)\b"),
    Term("monte-carlo", "Monte Carlo draws",
         "The model run many times (typically 100,000), each time with every uncertain input drawn at random from "
         "its distribution, with a fixed seed so that the same inputs give the same numbers.",
         r"Monte Carlo", ignore_case=True),
    Term("realised-revenue", "Realised revenue (sales)",
         "What the gems mined in a year actually sell for that year, at the first sale inside Myanmar, all channels: "
         "the gross value less what is not mined, not sold within the year, or lost to lower prices.",
         r"realised (?:revenue|sales)", ignore_case=True),
    Term("recorded-sales", "Recorded sales",
         "The part of realised sales that passes through the formal channel and so appears in official series; "
         "under the TNLA the formal channel is its own administration's, which Myanmar's official series do not see.",
         r"recorded (?:sales|through the formal channel)", ignore_case=True),
    Term("gross-value", "Gross value (G)",
         "What a year's output of Mogok's coloured gems would fetch at undisrupted production and reference prices, "
         "at the first sale inside Myanmar, all channels included.", r"gross value", ignore_case=True),
    Term("tornado", "Tornado chart",
         "A chart of one-at-a-time sensitivity: each bar shows the output with one input at its 5th and at its "
         "95th percentile, the others at their central values; the longest bars matter most.",
         r"tornado(?: chart)?", ignore_case=True),
    Term("sobol", "Sobol index",
         "The share of the variance of an output due to one input: alone (first-order index, S1) or with its "
         "interactions with the others (total-effect index, ST). Computed with SALib.",
         r"Sobol(?: (?:total-effect )?ind(?:ex|ices))?"),
    Term("shapley", "Shapley values",
         "A fair split of a change among its causes: each group of inputs' average contribution over every order "
         "in which the inputs could change. The parts add up to the total change.", r"Shapley values?"),
    Term("first-order", "First-order index",
         "The share of the variance of an output that knowing one input exactly would remove, Var(E[Y|X])/Var(Y). "
         "Where the inputs are correlated (as after calibration) these indices do not add up to 1.",
         r"first-order ind(?:ex|ices)"),
    Term("calibration", "Calibration",
         "Fitting the model to what was observed: the model's draws are weighted by how well each reproduces the "
         "observations (wages, official figures, headcounts), so that draws that contradict them count less.",
         r"\bcalibrat(?:ion|ed)\b", ignore_case=True),
    Term("prior", "Prior",
         "What the model assumes about an input before it is fitted to the observations: the range and "
         "distribution set in the data files from their sources.", r"\bpriors?\b(?! to\b)"),
    Term("likelihood", "Likelihood",
         "How probable the observations are if an input takes a given value; the calibration weights each draw by "
         "it. Here observations are compared on a log scale, allowing the model an error of 10% to 30%.",
         r"\blikelihoods?\b"),
    Term("posterior", "Posterior",
         "What is known about an input after the calibration: the prior updated by the likelihood of the "
         "observations. An input no observation reaches keeps its prior as its posterior.", r"\bposteriors?\b"),
    Term("ess", "Effective sample size (ESS)",
         "How many equally weighted draws the weighted draws of the calibration are worth: the fewer, the less "
         "precise the fitted result. Below 1,000 the calibration moves to tempered sequential Monte Carlo.",
         r"effective sample(?: size)?|\bESS\b", ignore_case=True),
    Term("khat", "k-hat (Pareto-smoothed importance sampling)",
         "A diagnostic of weighted draws (Vehtari and others): above 0.7 a handful of draws carry most of the "
         "weight and the result cannot be trusted, so the calibration moves to tempered sequential Monte Carlo.",
         r"\bk-hat\b|Pareto-smoothed importance sampling"),
    Term("distributions", "Triangular, PERT and uniform distributions",
         "How an uncertain input is drawn. triangular(low, mode, high): most likely at the mode, never outside low "
         "and high, the density falling in straight lines. PERT(low, mode, high): the same bounds, a smoother, "
         "more peaked curve. uniform(low, high): every value in the range equally likely.",
         r"\b(?:triangular|PERT|uniform)\b(?:\([^)]*\))?"),
    Term("copula", "Gaussian copula",
         "A way to draw correlated inputs, each keeping its own distribution: the correlations are imposed on "
         "normal variables, then mapped to each input's distribution.", r"Gaussian copula"),
    Term("levy", "Levy, extortion, checkpoint levy",
         "Money taken from the trade: taxes on formal sales; extortion on informal sales; checkpoint levies on "
         "stones moved by road; the levy on finds at the pit taken by whoever holds the area.",
         r"checkpoint levies|extortion", ignore_case=True),
    Term("mine-gate", "Mine-gate value",
         "What is left of sales after taxes, extortion, checkpoint levies and traders' margins: what the mines and "
         "miners share.", r"mine-gate value", ignore_case=True),
    Term("junta", "The junta",
         "Myanmar's military regime since the coup of 1 February 2021, with the conglomerates it controls (MEHL, MEC): "
         "the State Administration Council (SAC) until 31 July 2025, then the same regime renamed the State Security "
         "and Peace Commission (SSPC) to hold the elections of 28 December 2025 to 25 January 2026. From 3 April 2026, "
         "when the new parliament made the junta's leader president, the reports say the military and its government. "
         "In the model these are one actor, which also holds the military's take before the coup; tables keep one "
         "column for it, headed Junta, and the periods table says who it is in each period.", r"\bjunta\b"),
    Term("military-conglomerates", "The military and its conglomerates",
         "Who the model's junta actor is before the coup of 1 February 2021: the armed forces and their conglomerates "
         "MEHL and MEC (with MEHL's Myanmar Ruby Enterprise and crony partners), which held most of Mogok's mining "
         "concessions under the elected government. Not a junta: the state's taxes then went to the elected "
         "government's budget (the public treasury), and the reports call this recipient the junta only from the coup.",
         r"military and its conglomerates"),
    Term("military-government", "The military and its government",
         "Who the model's junta actor is from 3 April 2026: the military and the government formed after the "
         "elections of December 2025 and January 2026, which the military-backed Union Solidarity and Development "
         "Party won with a quarter of the seats reserved for the army, and whose president is the junta's leader.",
         r"military and its government"),
    Term("sspc", "SSPC", "State Security and Peace Commission, the name the junta took on 31 July 2025 in place of the "
         "State Administration Council (SAC), the name it ruled under from the coup.", r"\bSSPC\b",
         expansion="State Security and Peace Commission"),
    Term("tnla", "TNLA", "Ta'ang National Liberation Army, an ethnic armed organisation that held Mogok from July "
         "2024 to late 2025.", r"\bTNLA\b", expansion="Ta'ang National Liberation Army"),
    Term("pdf", "PDF (People's Defence Force)",
         "In the model's actors, the People's Defence Forces: armed groups aligned with the NUG. (The report files "
         "are also PDF files, Portable Document Format: the context tells which.)", r"\bPDFs?\b",
         expansion="People's Defence Forces"),
    Term("nug", "NUG", "National Unity Government, the government formed by the opposition after the coup.",
         r"\bNUG\b", expansion="National Unity Government"),
    Term("mge", "MGE", "Myanma Gems Enterprise, the state enterprise that licenses gem mining and runs the "
         "official gem emporium.", r"\bMGE\b", expansion="Myanma Gems Enterprise"),
    Term("mehl", "MEHL", "Myanma Economic Holdings Limited, a military-owned conglomerate with mining interests.",
         r"\bMEHL\b", expansion="Myanma Economic Holdings Limited"),
    Term("mec", "MEC", "Myanmar Economic Corporation, a military-owned conglomerate.", r"\bMEC\b",
         expansion="Myanmar Economic Corporation"),
    Term("eiti", "EITI", "Extractive Industries Transparency Initiative, a standard for publishing what "
         "governments receive from extractive industries; Myanmar was suspended after the coup.", r"\bEITI\b",
         expansion="Extractive Industries Transparency Initiative"),
    Term("mmk", "Kyat (MMK, K)", "Myanmar's currency; kyat values are converted to US dollars at the period's "
         "market rate.", r"\bkyat\b", ignore_case=True),
)

# Spans never rewritten: code, Markdown links and images, URLs, HTML tags, bold source ids like **rfa-2024-...**.
_PROTECTED = re.compile(r"`[^`]*`|!?\[[^\]]*\]\([^)]*\)|https?://\S+|<[^>]+>|\b[\w.-]+-\d{4}-[\w-]+")


def _link(term: Term, text: str) -> str:
    shown = f"{term.expansion} ({text})" if term.expansion else text
    return f"[{shown}](#term-{term.anchor})"


def link_first_uses(markdown: str, linked: set[str]) -> str:
    """`markdown` with the first use (in this report: `linked` holds the anchors already linked) of each
    glossary term linked to the glossary, acronyms spelled out. Headings are left as they are."""
    lines = markdown.split("\n")
    for i, line in enumerate(lines):
        if line.lstrip().startswith("#"):
            continue
        for term in TERMS:
            if term.anchor in linked:
                continue
            line, done = _link_in_line(term, line)
            if done:
                linked.add(term.anchor)
        lines[i] = line
    return "\n".join(lines)


def _link_in_line(term: Term, line: str) -> tuple[str, bool]:
    pattern = re.compile(term.pattern, re.IGNORECASE if term.ignore_case else 0)
    pos = 0
    for protected in [*_PROTECTED.finditer(line), None]:
        end = protected.start() if protected else len(line)
        match = pattern.search(line, pos, end)
        if match:
            return line[:match.start()] + _link(term, match.group(0)) + line[match.end():], True
        pos = protected.end() if protected else end
    return line, False


def glossary_html() -> str:
    """The glossary as a definition list, each term with its anchor (term-...)."""
    items = "\n".join(f'<dt id="term-{t.anchor}">{html.escape(t.term)}</dt><dd>{html.escape(t.definition)}</dd>'
                      for t in sorted(TERMS, key=lambda t: t.term.lower()))
    return f'<dl class="mogok-glossary">\n{items}\n</dl>'

"""Measuring fabula against gold annotations: the library behind ``fabula eval``.

- :mod:`fabula.eval.litbank`: LitBank folders, tokens aligned to the original Gutenberg text
  (``load_litbank``, ``load_work``, ``analyze_work``, ``to_reference``);
- :mod:`fabula.eval.pdnc`: the Project Dialogism Novel Corpus layout (``read_novel``);
- :mod:`fabula.eval.reference`: the common :class:`Reference` shape and ``fabula-gold/1`` files;
- :mod:`fabula.eval.score`: every metric, defined in its docstring (``score_story``, ``combine``);
- :mod:`fabula.eval.metrics`: P/R/F1 and accuracy counts, span matching, B-cubed;
- :mod:`fabula.eval.run`: ``eval_gold``, ``eval_litbank``, ``eval_pdnc`` and the table.

>>> from fabula.eval import eval_pdnc, render_table   # doctest: +SKIP
>>> print(render_table(eval_pdnc("tests/fixtures/pdnc")))   # doctest: +SKIP
"""

from fabula.eval.reference import Reference
from fabula.eval.run import EvalResult, eval_gold, eval_litbank, eval_pdnc, render_table
from fabula.eval.score import score_story

__all__ = ["EvalResult", "Reference", "eval_gold", "eval_litbank", "eval_pdnc", "render_table", "score_story"]

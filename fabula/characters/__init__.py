"""Characters: finding who is in a story and every name they go by (issue 3).

The package owns the parts of the ``characters`` stage (:mod:`fabula.stages.characters`):
:mod:`~fabula.characters.tables` (the shipped name tables), :mod:`~fabula.characters.detect`
(proper-name mention detection with a small trained model), :mod:`~fabula.characters.cluster`
(alias clustering) and :mod:`~fabula.characters.resolve` (titles, nominals, pronouns, gender).
"""

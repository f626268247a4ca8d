"""Batch processing of files and folders: resumable, atomic, streaming (``idnews translate/summarize/process``).

:mod:`~idnews.batch.discover` finds inputs and refuses unsafe output folders, :mod:`~idnews.batch.records` reads
them as records, :mod:`~idnews.batch.pipeline` holds the per-record work (a pure function of one record and
loaded models), :mod:`~idnews.batch.outputs` renders and writes atomically, :mod:`~idnews.batch.manifest` keeps
the resume keys, :mod:`~idnews.batch.runner` schedules, batches across files and reports, and
:mod:`~idnews.batch.dataset` translates ``datasets`` columns.
"""

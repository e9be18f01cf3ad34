"""nhnprice: a declarative pricing language for the payments for Norway's national e-health solutions.

The pipeline, each step a module: `syntax.parse` -> `check.analyse` ->
`lower.lower` -> `data.load` -> `evaluate.evaluate` -> `report.render`;
`pipeline.run` chains them.
"""

__version__ = "0.1.0"

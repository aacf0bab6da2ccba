"""The engine: data models, scheme files, scoring primitives, grading and the pipeline that runs them."""

"""Output formats: text for a terminal, JSON (each document with its schema in docs/schema/),
JUnit XML, GitHub annotations, Markdown, CSV, and the explanation tree. Renderers take
results and return strings; they never print."""

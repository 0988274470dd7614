#!./nonexistent-interpreter

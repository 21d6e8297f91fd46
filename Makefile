# The two commands in the README. Both set everything up on a fresh machine.
.PHONY: demo test

demo:
	scripts/setup
	.venv/bin/tradewire demo

test:
	scripts/test

# devops.docker: the two commands are `make demo` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
ENV := scripts/ansible-env.sh
PYTEST := .venv/bin/python -m pytest
TARGETS ?=
SCENARIOS ?= $(sort $(notdir $(wildcard molecule/*)))

.PHONY: help setup demo test units integration molecule sanity lint yamllint changelog bench clean-test docs package

help:
	@echo "make demo   - set up (venv, Docker Engine, images) and run the whole course"
	@echo "make test   - everything CI checks: units, integration, molecule, sanity, lint"
	@echo "make units | integration [TARGETS=...] | molecule [SCENARIOS=...] | sanity | lint | bench"

setup:
	@scripts/setup.sh

demo: setup
	$(ENV) ansible-playbook -i localhost, -c local playbooks/demo.yml

# Every step runs; the first failure fails the whole target, and test images are
# removed even then.
test: setup
	@status=0; \
	for step in units integration molecule sanity lint package; do \
	  echo "=== make $$step ==="; \
	  if ! $(MAKE) --no-print-directory $$step; then echo "=== FAILED: $$step ==="; status=1; fi; \
	done; \
	$(MAKE) --no-print-directory clean-test; \
	exit $$status

# pytest exits 5 when it collects nothing: that is a failure here.
units:
	PYTHONPATH=$$(dirname $$(dirname $$(dirname $$($(ENV) --cd pwd)))) $(ENV) --cd $(CURDIR)/.venv/bin/python -m pytest -q -p no:cacheprovider tests/unit

integration:
	$(ENV) --cd ansible-test integration --local --python 3.11 --color no --allow-destructive --continue-on-error $(TARGETS)

molecule:
	@for s in $(SCENARIOS); do \
	  echo "--- molecule test -s $$s"; \
	  $(ENV) --cd molecule test -s $$s || exit 1; \
	done

sanity:
	scripts/sanity.sh

lint: yamllint
	$(ENV) --cd ansible-lint --profile production
	.venv/bin/python scripts/gen-docs.py --check
	$(ENV) scripts/check-docs.sh

docs:
	.venv/bin/python scripts/gen-docs.py

yamllint:
	$(ENV) --cd yamllint -s .

changelog:
	$(ENV) --cd antsibull-changelog lint

bench:
	$(ENV) scripts/bench.sh

package:
	scripts/check-package.sh

clean-test:
	@scripts/clean-test.sh

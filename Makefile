# devops.docker: the two commands are `make demo` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
ENV := scripts/ansible-env.sh
PYTEST := .venv/bin/python -m pytest
TARGETS ?=
SCENARIOS ?= $(sort $(notdir $(wildcard molecule/*)))

.PHONY: help setup demo teardown test units integration molecule newcomer sanity lint yamllint changelog bench clean-test docs package

help:
	@echo "Start here (a fresh Debian 12 machine, as root):"
	@echo "  make demo      set up (venv, Docker Engine, images) and run the whole course end to end;"
	@echo "                 ends with where to look next and how long it took"
	@echo "  make teardown  remove what the demo made (data volumes stay unless REMOVE_DATA=true)"
	@echo "  make test      everything CI checks: $(TEST_STEPS)"
	@echo "Read next: README.md, docs/course/README.md (the course, CLI beside Ansible), docs/modules/,"
	@echo "  docs/molecule.md (test your roles in containers), docs/developing.md (layout, tests)"
	@echo "One step of make test at a time:"
	@echo "  make units | integration [TARGETS=\"image container\"] | molecule [SCENARIOS=container_role]"
	@echo "  make newcomer  a scratch role tested with molecule and the shipped playbooks, from the built tarball"
	@echo "  make sanity | lint | package"
	@echo "Also: make docs (regenerate docs/modules and docs/course), make bench, make clean-test"

setup:
	@scripts/setup.sh

demo:
	@start=$$(date +%s); \
	scripts/setup.sh; \
	$(ENV) ansible-playbook -i localhost, -c local playbooks/demo.yml; \
	echo; echo "make demo: done in $$(( $$(date +%s) - start ))s, set-up included."; \
	echo "Next: the URLs above; docs/course/README.md for each step with its docker CLI command;"; \
	echo "      docs/molecule.md to test your own roles; make teardown to remove it all."

REMOVE_DATA ?= false
teardown:
	$(ENV) ansible-playbook -i localhost, -c local playbooks/teardown.yml -e remove_data=$(REMOVE_DATA)

# Every step runs; the first failure fails the whole target, and test images are
# removed even then. Each step's output is also kept in $(TEST_LOGS)/<step>.log,
# and the end of the run repeats, per step, its time and (when it failed) the tail
# of its log: CI shows the end of the output, and that is where the answer is.
TEST_LOGS ?= /tmp/devops-docker-test-logs
TEST_STEPS ?= units integration molecule newcomer sanity lint package
test: setup
	@status=0; summary=""; mkdir -p $(TEST_LOGS); since=$$(date -u +%FT%TZ); \
	rm -f $(TEST_LOGS)/integration-summary.txt; export INTEGRATION_SUMMARY=$(TEST_LOGS)/integration-summary.txt; \
	for step in $(TEST_STEPS); do \
	  echo "=== make $$step ==="; start=$$(date +%s); \
	  if $(MAKE) --no-print-directory $$step 2>&1 | tee $(TEST_LOGS)/$$step.log; then res=ok; \
	  else res=FAILED; status=1; echo "=== FAILED: $$step ==="; fi; \
	  summary="$$summary$$(printf '%-12s %-7s %5ss' $$step $$res $$(( $$(date +%s) - start )))\n"; \
	done; \
	DT_TEST_SINCE=$$since $(MAKE) --no-print-directory clean-test; \
	for step in $(TEST_STEPS); do \
	  if printf "$$summary" | grep -q "^$$step  *FAILED"; then \
	    echo "=== tail of the failed step $$step ($(TEST_LOGS)/$$step.log) ==="; \
	    grep -E '^(ERROR|FATAL|FAILED)|failed=[1-9]|fatal:|Error|ERROR:' $(TEST_LOGS)/$$step.log | tail -n 25 || true; \
	    tail -n 15 $(TEST_LOGS)/$$step.log; \
	  fi; \
	done; \
	echo "=== summary ==="; printf "$$summary"; \
	if [ -f $(TEST_LOGS)/integration-summary.txt ]; then \
	  echo "=== integration, per phase and lane ==="; cat $(TEST_LOGS)/integration-summary.txt; fi; \
	exit $$status

# pytest exits 5 when it collects nothing: that is a failure here.
units:
	PYTHONPATH=$$(dirname $$(dirname $$(dirname $$($(ENV) --cd pwd)))) $(ENV) --cd $(CURDIR)/.venv/bin/python -m pytest -q -p no:cacheprovider tests/unit

integration:
	scripts/integration.sh $(TARGETS)

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

bench: setup
	$(ENV) scripts/bench.sh

newcomer:
	scripts/newcomer.sh

package:
	scripts/check-package.sh

clean-test:
	@scripts/clean-test.sh

/* Renderings of a gate report for people and CI systems (JSON lives in app/gate.c). */
#ifndef SG_CLI_RENDER_GATE_H
#define SG_CLI_RENDER_GATE_H

#include <stdio.h>

#include "app/gate.h"

void sg_render_gate_text(FILE *out, const struct sg_gate_report *r);
/* For a CI job summary or a pull-request comment. */
void sg_render_gate_markdown(FILE *out, const struct sg_gate_report *r);
/* One testcase per clause, so CI systems show each clause. */
void sg_render_gate_junit(FILE *out, const struct sg_gate_report *r);
/* SARIF 2.1.0 with one result per blocking finding. Returns the writer's status. */
int sg_render_gate_sarif(FILE *out, const struct sg_gate_report *r);

#endif

/*
 * The verbs the command line sends to a server (`shipgate --server URL`):
 * the same words as the local verbs, each printing the server's JSON
 * answer (docs/api.md, "The command line against a server").
 */
#ifndef SG_CLI_REMOTE_H
#define SG_CLI_REMOTE_H

#include "cli/client.h"
#include "util/error.h"

#define SG_REMOTE_VERBS "ingest, findings, release, gate, sla, exception and audit"

/* argv[0] is the verb. Returns an SG_* code (SG_EPOLICY for a gate that
 * blocks, with err->diag left SG_DIAG_NONE: the printed answer says why). */
int sg_remote_run(const struct sg_client *c, int argc, char **argv, struct sg_error *err);

#endif

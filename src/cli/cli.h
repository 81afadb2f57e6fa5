/* The command-line face: one cmd_* per verb; each returns an SG_* code or SG_EPOLICY. */
#ifndef SG_CLI_CLI_H
#define SG_CLI_CLI_H

#include "app/app.h"

typedef int (*sg_cmd_fn)(struct sg_app *app, int argc, char **argv, struct sg_error *err);

int sg_cmd_init(struct sg_app *app, int argc, char **argv, struct sg_error *err);
int sg_cmd_policy(struct sg_app *app, int argc, char **argv, struct sg_error *err);
int sg_cmd_ingest(struct sg_app *app, int argc, char **argv, struct sg_error *err);
int sg_cmd_findings(struct sg_app *app, int argc, char **argv, struct sg_error *err);
int sg_cmd_release(struct sg_app *app, int argc, char **argv, struct sg_error *err);
int sg_cmd_user(struct sg_app *app, int argc, char **argv, struct sg_error *err);
int sg_cmd_key(struct sg_app *app, int argc, char **argv, struct sg_error *err);
int sg_cmd_exception(struct sg_app *app, int argc, char **argv, struct sg_error *err);
int sg_cmd_audit(struct sg_app *app, int argc, char **argv, struct sg_error *err);
int sg_cmd_sla(struct sg_app *app, int argc, char **argv, struct sg_error *err);
int sg_cmd_vulndb(struct sg_app *app, int argc, char **argv, struct sg_error *err);
int sg_cmd_sca(struct sg_app *app, int argc, char **argv, struct sg_error *err);
int sg_cmd_gate(struct sg_app *app, int argc, char **argv, struct sg_error *err);
int sg_cmd_token(struct sg_app *app, int argc, char **argv, struct sg_error *err);
int sg_cmd_serve(struct sg_app *app, int argc, char **argv, struct sg_error *err);
int sg_cmd_job(struct sg_app *app, int argc, char **argv, struct sg_error *err);
int sg_cmd_migrate(struct sg_app *app, int argc, char **argv, struct sg_error *err);

/* The one place where codes become exit statuses: 0 ok / gate passes,
 * 1 policy not met, 2 bad usage or input, 3 internal or storage failure. */
int sg_exit_status(int code);

/* Formats accepted by --format; returns -1 and fills err if `value` is not one of them. */
int sg_pick_format(const char *value, const char *const *allowed, struct sg_error *err);

#endif

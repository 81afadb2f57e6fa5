/*
 * People and CI identities (DESIGN.md section 3, "principal"): a name, a
 * role, and the public keys they sign with. The policy names which role
 * approves exceptions (approver_role, by default cto).
 */
#ifndef SG_CORE_PRINCIPAL_H
#define SG_CORE_PRINCIPAL_H

enum sg_role {
	SG_ROLE_VIEWER = 0,
	SG_ROLE_DEVELOPER,
	SG_ROLE_SECURITY,
	SG_ROLE_CTO,
	SG_ROLE_ADMIN,
};
#define SG_ROLE_COUNT 5

const char *sg_role_name(enum sg_role role);
/* 0 and the role for "viewer" .. "admin"; -1 otherwise. */
int sg_role_parse(const char *name, enum sg_role *out);

#endif

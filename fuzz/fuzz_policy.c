/* Fuzz target: the policy YAML reader (policy/policy_yaml.c). */
#include <stdint.h>

#include "policy/policy_yaml.h"
#include "util/hash.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int initialised;
	struct sg_policy policy;
	struct sg_error err;

	if (!initialised) {
		sg_crypto_init();
		initialised = 1;
	}
	sg_error_clear(&err);
	if (sg_policy_parse((const char *)data, size, "fuzz", &policy, &err) == 0)
		sg_policy_release(&policy);
	return 0;
}

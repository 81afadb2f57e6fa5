# shipgate build. `make` builds build/shipgate; `make check` runs every test.
# SAN=1 builds with AddressSanitizer and UBSan (the CI default, see scripts/test.sh).

CC      ?= cc
BUILD   ?= build
PKGS    := sqlite3 libpq yaml-0.1 libsodium libcrypto libarchive libmicrohttpd libcurl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lyajl

WARN    := -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes \
           -Wmissing-prototypes -Wvla -Wformat=2 -Wdeclaration-after-statement \
           -Wno-unused-parameter
HARDEN  := -fstack-protector-strong -fPIE -D_FORTIFY_SOURCE=3
CFLAGS  ?= -O2 -g
ALL_CFLAGS := -std=c17 -D_GNU_SOURCE $(WARN) $(HARDEN) $(CFLAGS) $(PKG_CFLAGS) -Isrc
LDFLAGS_ALL := -pie -Wl,-z,relro,-z,now,-z,noexecstack $(LDFLAGS)

ifeq ($(SAN),1)
ALL_CFLAGS += -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -U_FORTIFY_SOURCE
LDFLAGS_ALL += -fsanitize=address,undefined
endif

LIB_SRC := $(wildcard src/util/*.c src/core/*.c src/ingest/*.c src/policy/*.c \
                      src/evidence/*.c src/sca/*.c src/store/*.c src/app/*.c \
                      src/server/*.c)
CLI_SRC := $(wildcard src/cli/*.c)
# Generated sources: the OpenAPI document the server serves (docs/openapi.json).
GEN_SRC := $(BUILD)/gen/openapi_doc.c
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(GEN_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
LIB     := $(BUILD)/libshipgate.a

# Unit tests mirror src/ (tests/unit/), plus the store conformance suite
# (tests/store/), which every store backend must pass.
UNIT_SRC := $(wildcard tests/unit/test_*.c) $(wildcard tests/store/test_*.c)
UNIT_BIN := $(addprefix $(BUILD)/tests/,$(basename $(notdir $(UNIT_SRC))))
vpath test_%.c tests/unit tests/store

.PHONY: all clean check unit integration corpus bench tools
all: $(BUILD)/shipgate

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/gen/openapi_doc.c: docs/openapi.json scripts/embed.sh
	@mkdir -p $(dir $@)
	scripts/embed.sh sg_openapi_json docs/openapi.json > $@.tmp && mv $@.tmp $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/shipgate: $(CLI_OBJ) $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS_ALL) -o $@ $(CLI_OBJ) $(LIB) $(PKG_LIBS)

$(BUILD)/tests/%: %.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS_ALL) -o $@ $< $(LIB) $(PKG_LIBS) -lcmocka

unit: $(UNIT_BIN)

tools: $(BUILD)/shipgate unit

check:
	./scripts/test.sh

clean:
	rm -rf $(BUILD)

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Build IDs of loaded objects, from their PT_NOTE segments through dl_iterate_phdr(). */
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <string.h>

#include "build-id.h"
#include "macro.h"

typedef struct BuildIdQuery {
        uintptr_t addr;     /* match the object containing this address, or */
        const char *prefix; /* the one whose file name starts with this */
        uint8_t *id;
        int size; /* the answer: > 0 found, -ENOENT not (yet) */
} BuildIdQuery;

static bool object_matches(const struct dl_phdr_info *info, const BuildIdQuery *q)
{
        if (q->prefix) {
                const char *base = strrchr(info->dlpi_name, '/');
                base = base ? base + 1 : info->dlpi_name;
                return strncmp(base, q->prefix, strlen(q->prefix)) == 0;
        }
        for (int i = 0; i < info->dlpi_phnum; i++) {
                const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
                uintptr_t start = info->dlpi_addr + ph->p_vaddr;
                if (ph->p_type == PT_LOAD && q->addr >= start && q->addr - start < ph->p_memsz)
                        return true;
        }
        return false;
}

static int find_note(struct dl_phdr_info *info, size_t size _unused_, void *userdata)
{
        BuildIdQuery *q = userdata;

        if (!object_matches(info, q))
                return 0;
        for (int i = 0; i < info->dlpi_phnum; i++) {
                const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
                const uint8_t *p = (const uint8_t *)(info->dlpi_addr + ph->p_vaddr), *end = p + ph->p_memsz;

                if (ph->p_type != PT_NOTE)
                        continue;
                while ((size_t)(end - p) >= sizeof(ElfW(Nhdr))) {
                        const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)p;
                        const uint8_t *name = p + sizeof(*n), *desc = name + ((n->n_namesz + 3) & ~3U);
                        const uint8_t *next = desc + ((n->n_descsz + 3) & ~3U);

                        if (next > end)
                                break;
                        if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 &&
                            memcmp(name, "GNU", 4) == 0 && n->n_descsz > 0 && n->n_descsz <= BUILD_ID_MAX) {
                                memcpy(q->id, desc, n->n_descsz);
                                q->size = (int)n->n_descsz;
                                return 1;
                        }
                        p = next;
                }
        }
        return 1; /* the object matched: no build ID is the answer */
}

int build_id_of_address(const void *addr, uint8_t ret[BUILD_ID_MAX])
{
        BuildIdQuery q = { .addr = (uintptr_t)addr, .id = ret, .size = -ENOENT };

        dl_iterate_phdr(find_note, &q);
        return q.size;
}

int build_id_of_library(const char *prefix, uint8_t ret[BUILD_ID_MAX])
{
        BuildIdQuery q = { .prefix = prefix, .id = ret, .size = -ENOENT };

        dl_iterate_phdr(find_note, &q);
        return q.size;
}

/* mlock2 (mm/mlock.c) and the Locked: line of /proc/self/smaps_rollup. Kava only: qemu-user
 * answers mlock2 with ENOSYS. mlock2.expected is what Linux does: MLOCK_ONFAULT locks the range
 * (it counts in VmLck) without faulting pages in, a touched page is resident, and mlock2 with
 * no flags populates the rest; flags other than MLOCK_ONFAULT are EINVAL. smaps_rollup's
 * Locked: is the Pss of VM_LOCKED areas (smap_gather_stats). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PG 4096L

static void show(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

static long field(const char *file, const char *name) {
    FILE *f = fopen(file, "r");
    char line[256];
    long v = -1;
    size_t n = strlen(name);
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, name, n)) v = strtol(line + n, NULL, 10);
    }
    fclose(f);
    return v;
}

static int resident(char *p, long pages) {
    unsigned char vec[64];
    if (mincore(p, pages * PG, vec) < 0) return -1;
    int n = 0;
    for (long i = 0; i < pages; i++) n += vec[i] & 1;
    return n;
}

static int mlock2_(void *p, size_t len, unsigned flags) { return syscall(SYS_mlock2, p, len, flags); }

int main(void) {
    long base = field("/proc/self/status", "VmLck:");
    long lbase = field("/proc/self/smaps_rollup", "Locked:");
    char *p = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    show("mlock2 bad flags", mlock2_(p, PG, 2));
    show("mlock2 ONFAULT", mlock2_(p, 4 * PG, MLOCK_ONFAULT));
    printf("resident: %d\n", resident(p, 4));
    printf("VmLck +%ld kB\n", field("/proc/self/status", "VmLck:") - base);
    p[PG] = 1;
    printf("resident after a touch: %d\n", resident(p, 4));
    printf("smaps_rollup Locked +%ld kB\n", field("/proc/self/smaps_rollup", "Locked:") - lbase);
    show("mlock2 0", mlock2_(p, 4 * PG, 0));
    printf("resident: %d\n", resident(p, 4));
    printf("smaps_rollup Locked +%ld kB\n", field("/proc/self/smaps_rollup", "Locked:") - lbase);
    show("munlock", munlock(p, 8 * PG));
    printf("VmLck +%ld kB\n", field("/proc/self/status", "VmLck:") - base);
    printf("smaps_rollup Locked +%ld kB\n", field("/proc/self/smaps_rollup", "Locked:") - lbase);
    return 0;
}

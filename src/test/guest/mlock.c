/* mlock, munlock, mlockall and munlockall (mm/mlock.c): the pages
 * mlock faults in (mincore), VmLck in /proc/self/status (as a difference from the start),
 * ENOMEM for unmapped ranges, EINVAL for bad flags, EBUSY from msync(MS_INVALIDATE) on locked
 * memory, no locks inherited by fork, and RLIMIT_MEMLOCK for an unprivileged process (ENOMEM
 * over the limit, EPERM with a zero limit) while root (CAP_IPC_LOCK) is not limited. qemu-user
 * has no mlock2: kava-only/mlock2.c tests it. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define PG 4096L

static void show(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

static long vmlck(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "VmLck:", 6)) v = strtol(line + 6, NULL, 10);
    }
    fclose(f);
    return v;
}

static long base;

static void lck(const char *what) {
    printf("%s: VmLck +%ld kB\n", what, vmlck() - base);
}

static int resident(char *p, long pages) {
    unsigned char vec[64];
    if (mincore(p, pages * PG, vec) < 0) return -1;
    int n = 0;
    for (long i = 0; i < pages; i++) n += vec[i] & 1;
    return n;
}

int main(void) {
    base = vmlck();
    char *p = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("resident before: %d\n", resident(p, 16));
    show("mlock 8 pages", mlock(p, 8 * PG));
    printf("resident after: %d\n", resident(p, 16));
    lck("after mlock");
    show("mlock again (no double count)", mlock(p, 8 * PG));
    lck("after mlock again");
    show("mlock unaligned start, 10 bytes", mlock(p + 8 * PG + 100, 10));
    lck("after unaligned");
    show("mlock length 0", mlock(p + 12 * PG, 0));
    show("msync MS_INVALIDATE locked", msync(p, PG, MS_INVALIDATE));
    show("msync MS_INVALIDATE unlocked", msync(p + 12 * PG, PG, MS_INVALIDATE));
    show("munlock middle", munlock(p + 2 * PG, 2 * PG));
    lck("after munlock middle");
    show("munlock all of it", munlock(p, 16 * PG));
    lck("after munlock");

    /* Unmapped ranges. */
    munmap(p + 4 * PG, 4 * PG);
    show("mlock over a hole", mlock(p + 2 * PG, 4 * PG));
    show("munlock over a hole", munlock(p + 2 * PG, 4 * PG));
    show("mlock unmapped", mlock(p + 4 * PG, PG));
    show("mlock wrapping", mlock((void *)-PG, 2 * PG));
    munlock(p, 16 * PG);
    lck("after the failures");

    /* mlockall */
    show("mlockall 0", mlockall(0));
    show("mlockall ONFAULT alone", mlockall(MCL_ONFAULT));
    show("mlockall bad flag", mlockall(8));
    show("mlockall FUTURE", mlockall(MCL_FUTURE));
    char *q = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("new mapping resident under MCL_FUTURE: %d\n", resident(q, 8));
    show("munlockall", munlockall());
    char *r = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("new mapping resident after munlockall: %d\n", resident(r, 8));
    char *s = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
    printf("MAP_LOCKED resident: %d\n", resident(s, 4));
    lck("after MAP_LOCKED");
    munmap(s, 4 * PG);
    lck("after munmap of it");

    /* Locks are not inherited. */
    mlock(q, 8 * PG);
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        printf("child: VmLck %ld kB (own locks only)\n", vmlck());
        fflush(stdout);
        _exit(0);
    }
    waitpid(c, NULL, 0);
    lck("parent still");
    munlock(q, 8 * PG);

    /* RLIMIT_MEMLOCK: root is not bound by it; an unprivileged process is. */
    struct rlimit rl = {16 * PG, 16 * PG};
    setrlimit(RLIMIT_MEMLOCK, &rl);
    char *big = mmap(NULL, 32 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    show("root over the limit", mlock(big, 32 * PG));
    munlock(big, 32 * PG);
    fflush(stdout);
    c = fork();
    if (c == 0) {
        if (setuid(1000) != 0) { printf("setuid failed\n"); _exit(1); }
        show("user over the limit", mlock(big, 32 * PG));
        show("user within the limit", mlock(big, 8 * PG));
        show("user relocking counts once", mlock(big, 16 * PG));
        show("user one more page", mlock(big + 16 * PG, PG));
        show("user MAP_LOCKED over the limit", (long)mmap(NULL, 4 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0));
        show("user mlockall CURRENT over the limit", mlockall(MCL_CURRENT));
        munlock(big, 32 * PG);
        struct rlimit zero = {0, 0};
        setrlimit(RLIMIT_MEMLOCK, &zero);
        show("user zero limit mlock", mlock(big, PG));
        show("user zero limit mlockall", mlockall(MCL_FUTURE));
        show("user zero limit munlock", munlock(big, PG));
        fflush(stdout);
        _exit(0);
    }
    waitpid(c, NULL, 0);
    return 0;
}

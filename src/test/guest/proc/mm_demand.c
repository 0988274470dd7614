/* Demand paging and the rest of the mm's fault handling: a huge PROT_NONE reservation is cheap and
   can be committed piecewise with mprotect; MAP_POPULATE maps; a
   MAP_GROWSDOWN area grows when touched just below it; msync validates as Linux does. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static sigjmp_buf env;
static void on_segv(int sig) { (void)sig; siglongjmp(env, 1); }

static const char *err(int r) { return r == 0 ? "0" : errno == EINVAL ? "EINVAL" : errno == ENOMEM ? "ENOMEM" : errno == EBUSY ? "EBUSY" : "other"; }

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    long pg = sysconf(_SC_PAGESIZE);

    /* 100 GiB of address space, reserved and committed a piece at a time. */
    size_t huge = 100UL << 30;
    char *r = mmap(NULL, huge, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    printf("reserve 100 GiB: %s\n", r == MAP_FAILED ? "failed" : "ok");
    char *mid = r + (huge / 2);
    printf("commit 1 MiB in the middle: %d\n", mprotect(mid, 1 << 20, PROT_READ | PROT_WRITE));
    mid[0] = 1; mid[(1 << 20) - 1] = 2;
    printf("values %d %d, untouched %d\n", mid[0], mid[(1 << 20) - 1], mid[4096]);
    unsigned char vec[4];
    mincore(mid, 4 * pg, vec);
    printf("resident after touching page 0: %d\n", vec[0] & 1);
    printf("decommit: %d\n", mprotect(mid, 1 << 20, PROT_NONE));
    printf("recommit: %d, still there %d\n", mprotect(mid, 1 << 20, PROT_READ), mid[0]);
    printf("munmap 100 GiB: %d\n", munmap(r, huge));

    /* MAP_POPULATE: every page resident at once. */
    char *p = mmap(NULL, 8 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    /* (Which pages are resident is not printed: qemu-user does not pass MAP_POPULATE on.) */
    printf("MAP_POPULATE: %s, zero %d\n", p == MAP_FAILED ? "failed" : "ok", p[5 * pg] == 0);

    /* Shared anonymous memory after fork: one frame per page. */
    int *sh = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pid_t c = fork();
    if (c == 0) { sh[0] = 42; sh[pg / 4] = 43; _exit(0); }
    waitpid(c, NULL, 0);
    printf("shared after fork: %d %d\n", sh[0], sh[pg / 4]);
    int *moved = mremap(sh, 2 * pg, 2 * pg, MREMAP_MAYMOVE | MREMAP_FIXED, (char *)sh + 16 * pg);
    if (moved == MAP_FAILED) printf("mremap: %s\n", strerror(errno));
    else printf("shared after mremap: %d %d\n", moved[0], moved[pg / 4]);

    /* Private memory after fork: copy-on-write both ways. */
    char *pv = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    pv[0] = 7;
    c = fork();
    if (c == 0) { pv[0] = 8; pv[pg] = 9; _exit(pv[0] == 8 && pv[pg] == 9 ? 0 : 1); }
    int st;
    waitpid(c, &st, 0);
    printf("private after fork: %d %d, child ok %d\n", pv[0], pv[pg], WEXITSTATUS(st) == 0);

    /* MAP_GROWSDOWN: touching the page just below the area extends it. */
    char *gd = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0);
    signal(SIGSEGV, on_segv);
    if (sigsetjmp(env, 1) == 0) {
        gd[-1] = 5;
        gd[-pg - 1] = 6;
        printf("growsdown: grew, values %d %d\n", gd[-1], gd[-pg - 1]);
    } else {
        printf("growsdown: SIGSEGV\n");
    }
    printf("mincore below the old start: %d\n", mincore(gd - pg, pg, vec));

    /* msync. */
    printf("msync MS_SYNC: %s\n", err(msync(p, 8 * pg, MS_SYNC)));
    printf("msync MS_ASYNC|MS_INVALIDATE: %s\n", err(msync(p, pg, MS_ASYNC | MS_INVALIDATE)));
    printf("msync 0 flags: %s\n", err(msync(p, pg, 0)));
    printf("msync bad flag: %s\n", err(msync(p, pg, 8)));
    printf("msync MS_ASYNC|MS_SYNC: %s\n", err(msync(p, pg, MS_ASYNC | MS_SYNC)));
    printf("msync unaligned: %s\n", err(msync(p + 1, pg, MS_SYNC)));
    printf("msync length 0: %s\n", err(msync(p, 0, MS_SYNC)));
    munmap(p + 2 * pg, pg);
    printf("msync over a hole: %s\n", err(msync(p, 8 * pg, MS_SYNC)));
    printf("msync MS_ASYNC over a hole: %s\n", err(msync(p + pg, 3 * pg, MS_ASYNC)));
    printf("msync of a hole only: %s\n", err(msync(p + 2 * pg, pg, MS_SYNC)));
    munmap(p, 8 * pg);
    printf("msync unmapped: %s\n", err(msync(p, pg, MS_SYNC)));
    return 0;
}

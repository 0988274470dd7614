/* Address spaces across fork: copy-on-write in both directions, MAP_SHARED|MAP_ANONYMOUS shared
   with a child, protections and unmaps private to each process; plus mremap, brk,
   MAP_FIXED_NOREPLACE, madvise(MADV_DONTNEED) and mincore. Addresses are never printed. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ERR(r) ((r) == -1 ? strerrorname_np(errno) : "ok")
#define PG 4096

static void msleep(int ms) {
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

static int child_status(pid_t pid) {
    int st;
    if (waitpid(pid, &st, 0) != pid) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static char global_data[3 * PG] = {1};
static char global_bss[3 * PG];

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    volatile int *sync = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

    /* Copy-on-write of anonymous, .data, .bss and heap memory, in both directions. */
    char *anon = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *heap = malloc(100000);
    char *areas[] = {anon, global_data, global_bss, heap};
    const char *names[] = {"anonymous", ".data", ".bss", "heap"};
    for (int a = 0; a < 4; a++) {
        char *m = areas[a];
        memset(m, 'A', 3 * PG);
        sync[0] = 0;
        pid_t pid = fork();
        if (pid == 0) {
            while (sync[0] == 0) msleep(1);
            int saw_old = m[0] == 'A' && m[PG] == 'A' && m[3 * PG - 1] == 'A';
            memset(m, 'C', 2 * PG);
            sync[1] = m[0] == 'C' && m[2 * PG] == 'A';
            _exit(saw_old ? 0 : 1);
        }
        m[0] = 'P';
        m[PG] = 'P';
        sync[0] = 1;
        int code = child_status(pid);
        printf("%s: child kept pre-fork copy %s, child's own writes visible to it %s, parent unaffected %s\n",
               names[a], code == 0 ? "yes" : "no", sync[1] ? "yes" : "no",
               m[0] == 'P' && m[PG] == 'P' && m[PG + 1] == 'A' && m[2 * PG] == 'A' ? "yes" : "no");
    }

    /* Shared anonymous memory is shared in both directions. */
    int *sh = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    sh[0] = 1;
    sync[0] = 0;
    pid_t pid = fork();
    if (pid == 0) {
        int saw = sh[0];
        sh[1] = 42;
        sh[PG / sizeof(int)] = 43;
        while (sync[0] == 0) msleep(1);
        _exit(saw == 1 && sh[2] == 7 ? 0 : 1);
    }
    sh[2] = 7;
    sync[0] = 1;
    int code = child_status(pid);
    printf("MAP_SHARED|MAP_ANONYMOUS: child saw parent's writes %s, parent sees child's %s\n",
           code == 0 ? "yes" : "no", sh[1] == 42 && sh[PG / sizeof(int)] == 43 ? "yes" : "no");

    /* A grandchild shares it too. */
    pid = fork();
    if (pid == 0) {
        pid_t g = fork();
        if (g == 0) { sh[3] = 99; _exit(0); }
        waitpid(g, NULL, 0);
        _exit(0);
    }
    child_status(pid);
    printf("grandchild writes shared memory: %s\n", sh[3] == 99 ? "yes" : "no");

    /* Protections and unmaps in the child stay in the child. */
    char *prot = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    prot[0] = 5;
    pid = fork();
    if (pid == 0) {
        mprotect(prot, PG, PROT_READ);
        munmap(prot + PG, PG);
        _exit(0);
    }
    child_status(pid);
    prot[0] = 6;
    prot[PG] = 7;
    printf("child's mprotect/munmap do not affect parent: %s\n", prot[0] == 6 && prot[PG] == 7 ? "yes" : "no");
    /* Protections are inherited: a child writing a read-only page dies by SIGSEGV. */
    mprotect(prot, PG, PROT_READ);
    pid = fork();
    if (pid == 0) { prot[0] = 1; _exit(0); }
    printf("child writing inherited read-only page: status %d\n", child_status(pid));
    /* A page the parent never touched, first touched by the child. */
    char *fresh = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    pid = fork();
    if (pid == 0) { fresh[10] = 1; _exit(fresh[10]); }
    code = child_status(pid);
    printf("untouched page after fork: child %d, parent still zero %s\n", code, fresh[10] == 0 ? "yes" : "no");

    /* madvise(MADV_DONTNEED): a private anonymous page reads back zero; a shared one keeps its data. */
    anon[5] = 9;
    int r = madvise(anon, PG, MADV_DONTNEED);
    printf("MADV_DONTNEED private: %s, zero %s\n", ERR(r), anon[5] == 0 ? "yes" : "no");
    sh[0] = 11;
    r = madvise(sh, PG, MADV_DONTNEED);
    printf("MADV_DONTNEED shared: %s, kept %s\n", ERR(r), sh[0] == 11 ? "yes" : "no");

    /* MAP_FIXED_NOREPLACE into a hole. (Over a mapping Linux says EEXIST, but qemu-user 7.2 maps
       elsewhere: that case is in BadInputTest's kava-only expectations.) */
    void *q;
    munmap(anon + 3 * PG, PG);
    q = mmap(anon + 3 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    printf("MAP_FIXED_NOREPLACE on a hole: %s\n", q == anon + 3 * PG ? "placed" : q == MAP_FAILED ? strerrorname_np(errno) : "elsewhere");

    /* mremap: grow in place or move keeping contents, shrink, and errors. */
    char *m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    m[0] = 'x';
    m[2 * PG - 1] = 'y';
    mmap(m + 2 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0); /* block growth in place */
    char *g = mremap(m, 2 * PG, 8 * PG, 0);
    printf("mremap grow blocked without MAYMOVE: %s\n", g == MAP_FAILED ? strerrorname_np(errno) : "ok");
    g = mremap(m, 2 * PG, 8 * PG, MREMAP_MAYMOVE);
    printf("mremap grow with MAYMOVE: %s, moved %s, contents kept %s, new tail zero %s\n",
           g == MAP_FAILED ? strerrorname_np(errno) : "ok", g != m ? "yes" : "no",
           g[0] == 'x' && g[2 * PG - 1] == 'y' ? "yes" : "no", g[8 * PG - 1] == 0 ? "yes" : "no");
    g[7 * PG] = 'z';
    char *s2 = mremap(g, 8 * PG, 2 * PG, 0);
    printf("mremap shrink: %s in place %s\n", s2 == MAP_FAILED ? strerrorname_np(errno) : "ok", s2 == g ? "yes" : "no");
    r = mremap(g + 1, PG, 2 * PG, MREMAP_MAYMOVE) == MAP_FAILED ? -1 : 0;
    printf("mremap unaligned: %s\n", ERR(r));
    r = mremap(g, PG, 2 * PG, 0x40) == MAP_FAILED ? -1 : 0;
    printf("mremap bad flags: %s\n", ERR(r));
    r = mremap(g, PG, 2 * PG, MREMAP_FIXED) == MAP_FAILED ? -1 : 0;
    printf("mremap FIXED without MAYMOVE: %s\n", ERR(r));
    char *target = mmap(NULL, 4 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *f = mremap(g, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, target + PG);
    printf("mremap FIXED: %s at target %s, contents kept %s\n", f == MAP_FAILED ? strerrorname_np(errno) : "ok",
           f == target + PG ? "yes" : "no", f != MAP_FAILED && f[0] == 'x' ? "yes" : "no");

    /* mincore: touched pages are resident, untouched anonymous ones are not; errors. */
    char *mc = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mc[0] = 1;
    mc[2 * PG] = 1;
    unsigned char vec[4] = {0xff, 0xff, 0xff, 0xff};
    r = mincore(mc, 4 * PG, vec);
    printf("mincore: %s, resident %d %d %d %d\n", ERR(r), vec[0] & 1, vec[1] & 1, vec[2] & 1, vec[3] & 1);
    r = mincore(mc + 1, PG, vec);
    printf("mincore unaligned: %s\n", ERR(r));
    munmap(mc + PG, PG);
    r = mincore(mc, 4 * PG, vec);
    printf("mincore over a hole: %s\n", ERR(r));

    /* brk: grow, write, shrink. */
    char *b0 = sbrk(0);
    char *b1 = sbrk(3 * PG);
    printf("sbrk grow: %s, returns old break %s\n", b1 == (void *)-1 ? "failed" : "ok", b1 == b0 ? "yes" : "no");
    memset(b1, 'b', 3 * PG);
    char *b2 = sbrk(0);
    printf("break moved by 3 pages: %s\n", b2 == b0 + 3 * PG ? "yes" : "no");
    sbrk(-2 * PG);
    printf("sbrk shrink: break %s\n", sbrk(0) == b0 + PG ? "ok" : "wrong");
    sbrk(2 * PG);
    printf("regrown brk memory is zero: %s\n", b0[PG] == 0 && b0[3 * PG - 1] == 0 ? "yes" : "no");
    /* The break is copied by fork too. */
    b0[0] = 'p';
    pid = fork();
    if (pid == 0) { int ok = sbrk(0) == b0 + 3 * PG && b0[0] == 'p'; b0[0] = 'c'; _exit(ok ? 0 : 1); }
    code = child_status(pid);
    printf("brk after fork: child sees same break %s, parent unaffected %s\n", code == 0 ? "yes" : "no", b0[0] == 'p' ? "yes" : "no");
    return 0;
}

/* Shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS, and MAP_SHARED of /dev/zero) is a mapping of
   an unlinked tmpfs file, "/dev/zero (deleted)" in /proc/PID/maps: parent and child see each
   other's writes in both directions, also to pages first touched after fork; MADV_DONTNEED
   drops only page-table entries (the data stays in the file, unlike private anonymous memory);
   mremap keeps the sharing; growing past the file's size gives SIGBUS; and a fork after mapping
   2 GiB costs nothing. Addresses and inode numbers are never printed. (MADV_REMOVE and MADV_FREE
   are in kava-only/shmem_anon_madvise.c: qemu-user does not pass them to the kernel.) */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PG 4096L
#define ERR(r) ((r) == -1 ? strerrorname_np(errno) : "ok")

static int child_status(pid_t pid) {
    int st;
    if (waitpid(pid, &st, 0) != pid) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The permissions, offset and path of the /proc/self/maps line holding p. */
static void maps_line(const char *what, void *p) {
    char line[512];
    unsigned long a = (unsigned long) p;
    FILE *f = fopen("/proc/self/maps", "r");
    int found = 0;
    while (f && fgets(line, sizeof line, f)) {
        unsigned long s, e, off;
        char perms[8], dev[16];
        unsigned long ino;
        int n = 0;
        if (sscanf(line, "%lx-%lx %7s %lx %15s %lu %n", &s, &e, perms, &off, dev, &ino, &n) < 6) continue;
        if (a < s || a >= e) continue;
        line[strcspn(line, "\n")] = 0;
        printf("%s: %s %08lx %lu pages '%s'\n", what, perms, off, (e - s) / PG, line + n);
        found = 1;
    }
    if (f) fclose(f);
    if (!found) printf("%s: not in maps\n", what);
}

/* Kilobytes of RssShmem in /proc/self/status. */
static long rss_shmem(void) {
    char line[256];
    long kb = -1;
    FILE *f = fopen("/proc/self/status", "r");
    while (f && fgets(line, sizeof line, f)) sscanf(line, "RssShmem: %ld kB", &kb);
    if (f) fclose(f);
    return kb;
}

/* Fork sharing in both directions on a shared mapping of 3 pages, m. */
static void share_with_child(const char *what, char *m) {
    int to_child[2], to_parent[2];
    char c;
    pipe(to_child);
    pipe(to_parent);
    strcpy(m, "before fork");
    pid_t pid = fork();
    if (pid == 0) {
        int ok = strcmp(m, "before fork") == 0;
        strcpy(m + 100, "from child");        /* a page both touched */
        strcpy(m + 2 * PG, "fresh in child"); /* a page nobody touched before fork */
        write(to_parent[1], "x", 1);
        read(to_child[0], &c, 1);
        ok = ok && strcmp(m + PG, "parent after fork") == 0; /* first touched by the parent after fork */
        _exit(ok ? 0 : 1);
    }
    read(to_parent[0], &c, 1);
    /* mincore asks the file: the page only the child touched is resident for the parent too. */
    unsigned char vec[3];
    int r = mincore(m, 3 * PG, vec);
    printf("%s: mincore %s: %d %d %d\n", what, ERR(r), vec[0] & 1, vec[1] & 1, vec[2] & 1);
    printf("%s: parent sees child's write %s, child's first touch %s\n", what,
           strcmp(m + 100, "from child") == 0 ? "yes" : "no", strcmp(m + 2 * PG, "fresh in child") == 0 ? "yes" : "no");
    strcpy(m + PG, "parent after fork");
    write(to_child[1], "x", 1);
    printf("%s: child sees parent's writes: %s\n", what, child_status(pid) == 0 ? "yes" : "no");

    close(to_child[0]); close(to_child[1]); close(to_parent[0]); close(to_parent[1]);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);

    char *m = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    maps_line("MAP_SHARED|MAP_ANONYMOUS", m);
    share_with_child("anonymous", m);

    int zfd = open("/dev/zero", O_RDWR);
    char *z = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, zfd, 0);
    maps_line("/dev/zero MAP_SHARED", z);
    share_with_child("/dev/zero", z);
    char *zo = mmap(NULL, PG, PROT_READ, MAP_SHARED, zfd, 2 * PG);
    maps_line("/dev/zero MAP_SHARED at offset 2 pages", zo);
    char *ao = mmap(NULL, PG, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 5 * PG);
    maps_line("MAP_SHARED|MAP_ANONYMOUS with an offset", ao);
    char *priv = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    priv[0] = 1;
    maps_line("MAP_PRIVATE|MAP_ANONYMOUS", priv);
    char *ro = mmap(NULL, PG, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    maps_line("read-only shared", ro);
    int r = mprotect(ro, PG, PROT_READ | PROT_WRITE);
    printf("mprotect read-only shared anonymous to read-write: %s\n", ERR(r));
    close(zfd);
    /* A private /dev/zero mapping, and a shared one of /dev/zero open read-only (do_mmap drops its
       VM_SHARED and VM_MAYWRITE), are anonymous memory that keeps the device's name. */
    char *zp = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, open("/dev/zero", O_RDWR), 0);
    zp[0] = 1;
    maps_line("/dev/zero MAP_PRIVATE", zp);
    int rofd = open("/dev/zero", O_RDONLY);
    char *zr = mmap(NULL, PG, PROT_READ, MAP_SHARED, rofd, 0);
    maps_line("read-only /dev/zero MAP_SHARED", zr);
    r = mprotect(zr, PG, PROT_READ | PROT_WRITE);
    printf("mprotect it read-write: %s; a writable shared map of it: %s\n", ERR(r),
           mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, rofd, 0) == MAP_FAILED ? strerrorname_np(errno) : "ok");

    /* MADV_DONTNEED: shared pages come back from the file, private ones as zeros. */
    m[5] = 42;
    z[5] = 43;
    priv[5] = 44;
    int r1 = madvise(m, PG, MADV_DONTNEED), r2 = madvise(z, PG, MADV_DONTNEED), r3 = madvise(priv, PG, MADV_DONTNEED);
    printf("MADV_DONTNEED: shared anonymous %s keeps %d, /dev/zero %s keeps %d, private %s reads %d\n",
           ERR(r1), m[5], ERR(r2), z[5], ERR(r3), priv[5]);
    /* A child's view is untouched by the parent's DONTNEED, and the reverse. */
    pid_t pid = fork();
    if (pid == 0) {
        madvise(m, 3 * PG, MADV_DONTNEED);
        _exit(m[5] == 42 && strcmp(m + 2 * PG, "fresh in child") == 0 ? 0 : 1);
    }
    printf("child's DONTNEED keeps the data: %s, parent still reads %d\n", child_status(pid) == 0 ? "yes" : "no", m[5]);
    /* mincore asks the file: a page whose entry MADV_DONTNEED dropped is still resident. */
    m[PG] = 1;
    madvise(m, 3 * PG, MADV_DONTNEED);
    unsigned char vec[3];
    r = mincore(m, 3 * PG, vec);
    printf("mincore after MADV_DONTNEED: %s: %d %d %d\n", ERR(r), vec[0] & 1, vec[1] & 1, vec[2] & 1);

    /* RssShmem counts the touched pages of shared anonymous memory. */
    char *t = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    long before = rss_shmem();
    for (int i = 0; i < 4; i++) t[i * PG] = 1;
    printf("RssShmem grows by %ld kB for 4 touched pages\n", rss_shmem() - before);
    munmap(t, 8 * PG);

    /* mremap: a moved shared mapping keeps its data and still shares it with a child. */
    char *s = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    strcpy(s, "kept");
    pid = fork();
    if (pid == 0) {
        strcpy(s + PG, "child");
        _exit(0);
    }
    child_status(pid);
    mmap(s + 2 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0); /* no growing in place */
    char *g = mremap(s, 2 * PG, 4 * PG, MREMAP_MAYMOVE);
    printf("mremap grow: %s, moved %s, data kept %s, child's page kept %s\n", g == MAP_FAILED ? strerrorname_np(errno) : "ok",
           g != s ? "yes" : "no", strcmp(g, "kept") == 0 ? "yes" : "no", strcmp(g + PG, "child") == 0 ? "yes" : "no");
    maps_line("grown shared anonymous", g);
    /* The file keeps its size: the grown part is past its end (SIGBUS), as on Linux. */
    pid = fork();
    if (pid == 0) {
        g[2 * PG] = 1;
        _exit(0);
    }
    int st = child_status(pid);
    printf("touching past the file's end: %s\n", st == 128 + SIGBUS ? "SIGBUS" : st == 0 ? "ok" : "other");
    pid = fork();
    if (pid == 0) {
        strcpy(g + 100, "after move");
        _exit(0);
    }
    child_status(pid);
    printf("child writes the moved mapping, parent sees it: %s\n", strcmp(g + 100, "after move") == 0 ? "yes" : "no");
    char *sh = mremap(g, 4 * PG, PG, 0);
    printf("mremap shrink: %s, data kept %s\n", sh == g ? "in place" : "moved", strcmp(sh, "kept") == 0 ? "yes" : "no");

    /* A fork after mapping 2 GiB of shared anonymous memory costs no memory: each side touches a few pages. */
    long big = 2L << 30;
    char *b = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    printf("2 GiB shared anonymous: %s\n", b == MAP_FAILED ? strerrorname_np(errno) : "mapped");
    if (b == MAP_FAILED) return 1;
    b[0] = 1;
    pid = fork();
    if (pid < 0) {
        printf("fork: %s\n", strerrorname_np(errno));
        return 1;
    }
    if (pid == 0) {
        b[big / 2] = 2;
        b[big - 1] = 3;
        _exit(b[0] == 1 ? 0 : 1);
    }
    printf("fork after 2 GiB: child %d\n", child_status(pid));
    b[PG] = 4;
    printf("parent sees the child's pages: %d %d\n", b[big / 2], b[big - 1]);
    pid = fork();
    if (pid == 0) _exit(b[PG]);
    printf("a second child sees the parent's later page: %d\n", child_status(pid));
    munmap(b, big);
    return 0;
}

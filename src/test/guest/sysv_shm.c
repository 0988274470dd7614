#define _GNU_SOURCE
/* System V shared memory: shmget/shmat/shmdt/shmctl across fork, IPC_STAT fields, removal
 * while attached, and the error cases. Only IPC_PRIVATE segments, all removed at the end. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK(x) printf("%-40s %s\n", #x, (x) ? "ok" : "FAIL")

static int err(long r) { return r < 0 ? errno : 0; }

static void stat_line(const char *what, int id) {
    struct shmid_ds ds;
    memset(&ds, 0, sizeof ds);
    int r = shmctl(id, IPC_STAT, &ds);
    printf("%s: stat=%d segsz=%zu nattch=%lu mode=%o dest=%d cpid_ok=%d\n", what, r, ds.shm_segsz,
           (unsigned long)ds.shm_nattch, ds.shm_perm.mode & 0777, !!(ds.shm_perm.mode & 01000),
           ds.shm_cpid == getpid());
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int id = shmget(IPC_PRIVATE, 10000, IPC_CREAT | 0600);
    CHECK(id >= 0);
    stat_line("new", id);

    char *p = shmat(id, NULL, 0);
    CHECK(p != (void *)-1);
    CHECK(((unsigned long)p & 4095) == 0);
    stat_line("attached", id);
    strcpy(p, "parent");

    pid_t c = fork();
    if (c == 0) {
        /* The child inherits the attachment: two areas now. */
        struct shmid_ds ds;
        shmctl(id, IPC_STAT, &ds);
        printf("child sees nattch=%lu and \"%s\"\n", (unsigned long)ds.shm_nattch, p);
        strcpy(p + 100, "written by the child");
        p[9999] = 'z';
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    printf("parent reads \"%s\" and '%c'\n", p + 100, p[9999]);
    stat_line("after child exit", id);
    struct shmid_ds ds;
    shmctl(id, IPC_STAT, &ds);
    printf("lpid is the child: %d\n", ds.shm_lpid == c);

    /* A second attach, read-only, at a chosen address. */
    char *q = shmat(id, NULL, SHM_RDONLY);
    CHECK(q != (void *)-1 && q != p);
    printf("read-only attach reads \"%s\"\n", q);
    stat_line("two attaches", id);
    CHECK(shmdt(q) == 0);
    CHECK(shmdt(q) == -1 && errno == EINVAL);
    CHECK(shmdt(p + 1) == -1 && errno == EINVAL);

    /* Attach at a given address: unaligned without SHM_RND fails, with it rounds down. */
    char *r = shmat(id, p + 4096 * 8 + 7, 0);
    CHECK(r == (void *)-1 && errno == EINVAL);
    /* (SHM_REMAP without an address is EINVAL on Linux, but qemu-user's own shmat accepts it.) */
    /* Over an existing mapping without SHM_REMAP: EINVAL. */
    CHECK(shmat(id, p, 0) == (void *)-1 && errno == EINVAL);
    char *s = shmat(id, p, SHM_REMAP);
    CHECK(s == p);
    printf("remapped reads \"%s\"\n", s + 100);
    stat_line("remapped", id);

    /* Remove while attached: SHM_DEST, key private, still usable. */
    CHECK(shmctl(id, IPC_RMID, NULL) == 0);
    stat_line("removed", id);
    strcpy(p, "still here");
    printf("after rmid: \"%s\"\n", p);
    CHECK(shmdt(p) == 0);
    CHECK(shmctl(id, IPC_STAT, &ds) == -1 && errno == EINVAL);

    /* Errors. */
    CHECK(shmget(IPC_PRIVATE, 0, 0600) == -1 && errno == EINVAL);
    CHECK(shmctl(-1, IPC_STAT, &ds) == -1 && errno == EINVAL);
    CHECK(shmctl(id, 99, &ds) == -1 && errno == EINVAL);
    CHECK(shmat(-1, NULL, 0) == (void *)-1 && errno == EINVAL);
    CHECK(shmat(id, NULL, 0) == (void *)-1 && errno == EINVAL);

    /* A key: ENOENT, create, EEXIST, size larger than the segment EINVAL. */
    key_t key = 0x6b617600 | (getpid() & 0xff);
    int k1 = shmget(key, 4096, 0600);
    if (k1 >= 0) { shmctl(k1, IPC_RMID, NULL); k1 = shmget(key, 4096, 0600); }
    CHECK(k1 == -1 && errno == ENOENT);
    k1 = shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0640);
    CHECK(k1 >= 0);
    CHECK(shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0600) == -1 && errno == EEXIST);
    CHECK(shmget(key, 0, 0) == k1);
    CHECK(shmget(key, 8192, 0) == -1 && errno == EINVAL);
    CHECK(shmget(key, 100, 0600) == k1);

    /* IPC_SET: permissions change; SHM_STAT by index returns the id. */
    shmctl(k1, IPC_STAT, &ds);
    ds.shm_perm.mode = 0400;
    CHECK(shmctl(k1, IPC_SET, &ds) == 0);
    stat_line("after IPC_SET", k1);
    struct shm_info info;
    int maxidx = shmctl(0, SHM_INFO, (struct shmid_ds *)&info);
    CHECK(maxidx >= 0 && info.used_ids >= 1);
    struct shminfo si;
    CHECK(shmctl(0, IPC_INFO, (struct shmid_ds *)&si) >= 0 && si.shmmin == 1);
    int found = 0;
    for (int i = 0; i <= maxidx; i++) {
        struct shmid_ds d2;
        if (shmctl(i, SHM_STAT, &d2) == k1) found = 1;
    }
    CHECK(found);

    /* A child that is not the owner: EACCES and EPERM. */
    c = fork();
    if (c == 0) {
        if (setgid(1234) || setuid(1234)) { printf("setuid failed\n"); _exit(1); }
        CHECK(shmget(key, 0, 0600) == -1 && errno == EACCES);
        CHECK(shmat(k1, NULL, SHM_RDONLY) == (void *)-1 && errno == EACCES);
        struct shmid_ds d3;
        CHECK(shmctl(k1, IPC_STAT, &d3) == -1 && errno == EACCES);
        CHECK(shmctl(k1, IPC_RMID, NULL) == -1 && errno == EPERM);
        CHECK(shmctl(k1, SHM_LOCK, NULL) == -1 && errno == EPERM);
        _exit(0);
    }
    waitpid(c, &st, 0);
    CHECK(shmctl(k1, SHM_LOCK, NULL) == 0);
    shmctl(k1, IPC_STAT, &ds);
    printf("locked: %d\n", !!(ds.shm_perm.mode & 02000));
    CHECK(shmctl(k1, SHM_UNLOCK, NULL) == 0);
    CHECK(shmctl(k1, IPC_RMID, NULL) == 0);

    /* Removed while a child holds the only attach: gone when the child exits. */
    int id3 = shmget(IPC_PRIVATE, 4096, 0600);
    int pfd[2], back[2];
    pipe(pfd);
    pipe(back);
    c = fork();
    if (c == 0) {
        char *m = shmat(id3, NULL, 0);
        m[0] = 'x';
        write(pfd[1], "a", 1);
        char b;
        read(back[0], &b, 1);
        _exit(m[0] == 'x' ? 0 : 1);
    }
    char b;
    read(pfd[0], &b, 1);
    CHECK(shmctl(id3, IPC_RMID, NULL) == 0);
    stat_line("removed, child attached", id3);
    write(back[1], "b", 1);
    waitpid(c, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    CHECK(shmctl(id3, IPC_STAT, &ds) == -1 && errno == EINVAL);
    return 0;
}

/* kcmp (kernel/kcmp.c): which kernel objects tasks share. A thread shares its process's address
 * space, descriptor table, fs context and signal actions; a forked child shares none of them,
 * but its descriptors are the parent's open files; a dup is the same file, a second open is
 * not. Only equality is printed (the order of different objects is not stable). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static long kcmp(pid_t a, pid_t b, int type, unsigned long i1, unsigned long i2) {
    return syscall(SYS_kcmp, a, b, type, i1, i2);
}

static void same(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %s\n", what, r == 0 ? "same" : (r == 1 || r == 2) ? "different" : "bad value");
}

static pid_t thread_tid;
static int go[2];

static void *thread_fn(void *arg) {
    char c;
    thread_tid = syscall(SYS_gettid);
    write(go[1], "t", 1);
    read(*(int *)arg, &c, 1);
    return NULL;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t me = getpid();
    int fd = open("/", O_RDONLY | O_DIRECTORY);
    int dupfd = dup(fd);
    int other = open("/", O_RDONLY | O_DIRECTORY);
    same("self VM", kcmp(me, me, KCMP_VM, 0, 0));
    same("self FILE fd vs dup", kcmp(me, me, KCMP_FILE, fd, dupfd));
    same("self FILE fd vs second open", kcmp(me, me, KCMP_FILE, fd, other));
    same("self FILE no such fd", kcmp(me, me, KCMP_FILE, fd, 999));
    same("self FILE huge index", kcmp(me, me, KCMP_FILE, fd, 1UL << 40));
    same("bad type", kcmp(me, me, KCMP_TYPES, 0, 0));
    same("no such pid", kcmp(me, 4194000, KCMP_VM, 0, 0));

    int hold[2];
    pipe(hold);
    pipe(go);
    pthread_t th;
    pthread_create(&th, NULL, thread_fn, &hold[0]);
    char c;
    read(go[0], &c, 1);
    same("thread VM", kcmp(me, thread_tid, KCMP_VM, 0, 0));
    same("thread FILES", kcmp(me, thread_tid, KCMP_FILES, 0, 0));
    same("thread FS", kcmp(me, thread_tid, KCMP_FS, 0, 0));
    same("thread SIGHAND", kcmp(me, thread_tid, KCMP_SIGHAND, 0, 0));
    same("thread FILE", kcmp(me, thread_tid, KCMP_FILE, fd, fd));
    write(hold[1], "x", 1);
    pthread_join(th, NULL);

    pid_t child = fork();
    if (child == 0) {
        read(hold[0], &c, 1);
        _exit(0);
    }
    same("child VM", kcmp(me, child, KCMP_VM, 0, 0));
    same("child FILES", kcmp(me, child, KCMP_FILES, 0, 0));
    same("child FS", kcmp(me, child, KCMP_FS, 0, 0));
    same("child SIGHAND", kcmp(me, child, KCMP_SIGHAND, 0, 0));
    same("child FILE inherited", kcmp(me, child, KCMP_FILE, fd, fd));
    same("child FILE inherited vs dup", kcmp(me, child, KCMP_FILE, dupfd, fd));
    same("child FILE vs second open", kcmp(me, child, KCMP_FILE, other, fd));
    long a = kcmp(me, child, KCMP_VM, 0, 0), b = kcmp(child, me, KCMP_VM, 0, 0);
    printf("order is antisymmetric: %d\n", a + b == 3);
    write(hold[1], "x", 1);
    waitpid(child, NULL, 0);
    same("reaped child", kcmp(me, child, KCMP_VM, 0, 0));
    return 0;
}

/* Raw clone3(2): a child process created like fork (exit_signal SIGCHLD), CLONE_PARENT_SETTID /
   CLONE_CHILD_SETTID, a child with exit_signal 0 (waited with __WALL), and argument validation:
   size below CLONE_ARGS_SIZE_VER0 or above a page (EINVAL / E2BIG), non-zero bytes past the known
   struct (E2BIG), unknown flags, exit_signal out of range, CLONE_THREAD without CLONE_SIGHAND. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* qemu-user 7.2 answers clone3 with ENOSYS: the expected output is clone3.expected, written
   from kernel/fork.c (copy_clone_args_from_user, clone3_args_valid, copy_process, eligible_child). */
#define ERR(r) ((r) == -1 ? strerrorname_np(errno) : "ok")
#ifndef __NR_clone3
#define __NR_clone3 435
#endif

static long clone3(void *args, size_t size) {
    return syscall(__NR_clone3, args, size);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    pid_t me = getpid();
    struct clone_args a;
    memset(&a, 0, sizeof a);
    a.exit_signal = SIGCHLD;
    long pid = clone3(&a, sizeof a);
    if (pid == 0) _exit(getppid() == me ? 21 : 22);
    printf("clone3 like fork: %s\n", pid > 0 ? "ok" : strerrorname_np(errno));
    if (pid < 0) return 1;
    int st = 0;
    printf("child: waited %s, code %d\n", waitpid(pid, &st, 0) == pid ? "yes" : "no", WEXITSTATUS(st));

    /* Copy-on-write memory like fork. */
    static volatile int cell = 1;
    memset(&a, 0, sizeof a);
    a.exit_signal = SIGCHLD;
    pid = clone3(&a, CLONE_ARGS_SIZE_VER0);
    if (pid == 0) { cell = 2; _exit(cell); }
    waitpid(pid, &st, 0);
    printf("VER0 size: child code %d, parent's cell %d\n", WEXITSTATUS(st), cell);

    /* CLONE_PARENT_SETTID / CLONE_CHILD_SETTID write the child's tid. */
    static volatile pid_t ptid = 0, ctid = 0;
    memset(&a, 0, sizeof a);
    a.flags = CLONE_PARENT_SETTID | CLONE_CHILD_SETTID;
    a.parent_tid = (uintptr_t)&ptid;
    a.child_tid = (uintptr_t)&ctid;
    a.exit_signal = SIGCHLD;
    pid = clone3(&a, sizeof a);
    if (pid == 0) _exit(ctid == getpid() ? 0 : 1);
    waitpid(pid, &st, 0);
    printf("SETTID: parent's ptid is the child %s, child's ctid is itself %s, parent's ctid untouched %s\n",
           ptid == pid ? "yes" : "no", WEXITSTATUS(st) == 0 ? "yes" : "no", ctid == 0 ? "yes" : "no");

    /* exit_signal 0: no SIGCHLD; only __WALL or __WCLONE waits for it. */
    memset(&a, 0, sizeof a);
    pid = clone3(&a, sizeof a);
    if (pid == 0) _exit(30);
    long r = waitpid(pid, &st, WNOHANG);
    printf("exit_signal 0, plain waitpid: %s\n", r == -1 ? strerrorname_np(errno) : "found");
    r = waitpid(pid, &st, __WALL);
    printf("exit_signal 0, __WALL: %s code %d\n", r == pid ? "ok" : ERR(r), WEXITSTATUS(st));

    /* Validation. */
    char big[8192];
    memset(big, 0, sizeof big);
    ((struct clone_args *)big)->exit_signal = SIGCHLD;
    r = clone3(big, 63);
    printf("size 63: %s\n", ERR(r));
    r = clone3(big, 0);
    printf("size 0: %s\n", ERR(r));
    r = clone3(big, 4097);
    printf("size 4097: %s\n", ERR(r));
    big[sizeof(struct clone_args) + 8] = 1;
    r = clone3(big, sizeof(struct clone_args) + 16);
    printf("non-zero byte past the struct: %s\n", ERR(r));
    big[sizeof(struct clone_args) + 8] = 0;
    r = clone3(big, sizeof(struct clone_args) + 16);
    if (r == 0) _exit(0);
    printf("zero bytes past the struct: %s\n", r > 0 ? "ok" : strerrorname_np(errno));
    if (r > 0) waitpid(r, &st, 0);
    memset(&a, 0, sizeof a);
    a.exit_signal = 65;
    r = clone3(&a, sizeof a);
    printf("exit_signal 65: %s\n", ERR(r));
    a.exit_signal = SIGCHLD;
    a.flags = 1ULL << 40;
    r = clone3(&a, sizeof a);
    printf("unknown flag: %s\n", ERR(r));
    a.flags = CLONE_THREAD;
    r = clone3(&a, sizeof a);
    printf("CLONE_THREAD without CLONE_SIGHAND: %s\n", ERR(r));
    a.flags = CLONE_SIGHAND;
    r = clone3(&a, sizeof a);
    printf("CLONE_SIGHAND without CLONE_VM: %s\n", ERR(r));
    a.flags = 0;
    a.stack = 0;
    a.stack_size = 4096;
    r = clone3(&a, sizeof a);
    printf("stack_size without stack: %s\n", ERR(r));
    r = clone3(NULL, sizeof a);
    printf("NULL args: %s\n", ERR(r));
    return 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The supervisor's output relay (src/launch/output.c): what the payload writes into its pipe comes
 * out on the journal stream as whole lines, each with berth's priority in front: <6> for stdout, <3>
 * for stderr, whatever the payload put at the start of the line (issue 13, finding 10). */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "macro.h"
#include "output.h"
#include "test.h"

typedef struct Bench {
        OutputRelay o;
        int writer; /* the payload's end */
        int reader; /* journald's end */
} Bench;

/* The relay writing to the unit's journal stream (target; berth's own could not be opened), which
 * reads a "<N>" at the start of every line: the lines carry berth's. With own_stream, to berth's
 * own stream, whose header (no level prefix) gives the priority: the lines go as they are. */
static void bench_open_to(Bench *b, bool errors, bool own_stream)
{
        int p[2], s[2];

        if (pipe2(p, O_CLOEXEC) < 0 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s) < 0)
                abort();
        (void)fcntl(p[0], F_SETFL, O_NONBLOCK);
        (void)fcntl(s[1], F_SETFL, O_NONBLOCK);
        *b = (Bench){
                .o = { .target = own_stream ? -EBADF : s[0],
                       .stream = own_stream ? s[0] : -EBADF,
                       .errors = errors,
                       .fd = p[0],
                       .child_fd = -EBADF,
                       .buf = malloc(OUTPUT_LINE_MAX) },
                .writer = p[1],
                .reader = s[1],
        };
}

static void bench_open(Bench *b, bool errors)
{
        bench_open_to(b, errors, false);
}

static void bench_close(Bench *b)
{
        safe_close(b->o.fd);
        safe_close(b->o.stream);
        if (b->o.stream < 0)
                safe_close(b->o.target);
        safe_close(b->writer);
        safe_close(b->reader);
        free(b->o.buf);
}

static void put(Bench *b, const char *s)
{
        if (write(b->writer, s, strlen(s)) != (ssize_t)strlen(s))
                abort();
}

/* What reached the stream so far (the static buffer of the last call); *ret_n its length (a NUL
 * may be in it). */
static const char *got_n(Bench *b, size_t *ret_n)
{
        static char out[2 * OUTPUT_LINE_MAX];
        ssize_t n = read(b->reader, out, sizeof(out) - 1);

        out[n > 0 ? n : 0] = 0;
        if (ret_n)
                *ret_n = n > 0 ? (size_t)n : 0;
        return out;
}

static const char *got(Bench *b)
{
        return got_n(b, NULL);
}

int main(void)
{
        Bench b;

        bench_open(&b, false);
        put(&b, "one\ntwo\nthr");
        CHECK(output_relay_read(&b.o) > 0, "stdout: a read relays what the pipe holds");
        CHECK_STREQ(got(&b), "<6>one\n<6>two\n", "stdout: whole lines pass as info, the partial one waits");
        put(&b, "ee\n<0>four\n");
        (void)output_relay_read(&b.o);
        CHECK_STREQ(got(&b), "<6>three\n<6><0>four\n",
                    "stdout: the line completes; the payload's <0> is text after berth's <6>");
        CHECK(output_relay_read(&b.o) == -EAGAIN, "an empty pipe is -EAGAIN, not EOF");
        put(&b, "last words");
        b.writer = safe_close(b.writer);
        output_relay_drain(&b.o);
        CHECK_STREQ(got(&b), "<6>last words\n", "drain: the last line without newline is relayed, with one");
        CHECK(b.o.fd < 0, "drain: the relay is closed at EOF");
        CHECK(output_relay_read(&b.o) == 0, "a closed relay reads as EOF");
        bench_close(&b);

        bench_open(&b, true);
        put(&b, "oops\n<4>careful\n<12>not a level\n\n<3>berth: forged\n");
        (void)output_relay_read(&b.o);
        CHECK_STREQ(got(&b), "<3>oops\n<3><4>careful\n<3><12>not a level\n<3>\n<3><3>berth: forged\n",
                    "stderr: every line is an error; a <0>..<7> of the payload's is text");
        bench_close(&b);

        bench_open(&b, false);
        {
                static char big[OUTPUT_LINE_MAX + 11];
                const char *out;

                memset(big, 'x', sizeof(big) - 1);
                big[sizeof(big) - 1] = 0;
                put(&b, big);
                while (output_relay_read(&b.o) > 0)
                        ;
                out = got(&b);
                /* journald (LineMax=48K) would break a longer one itself and read the payload's
                 * bytes after the break as a line of their own, a "<0>" there as its priority */
                CHECK(strlen(out) == OUTPUT_LINE_MAX && out[OUTPUT_LINE_MAX - 1] == '\n',
                      "a line longer than journald's LineMax= is broken so that with <6> and its newline "
                      "it is %u bytes (got %zu)",
                      OUTPUT_LINE_MAX, strlen(out));
                b.writer = safe_close(b.writer);
                output_relay_drain(&b.o);
                CHECK_STREQ(got(&b), "<6>xxxxxxxxxxxxxx\n", "and its rest is a line of its own");
        }
        bench_close(&b);

        /* journald's stream reader ends a line at a NUL too: passed on, "a\0<0>b" would be a line
         * "a" and an emergency "b". Each part is a line of its own, with berth's priority. */
        bench_open(&b, false);
        {
                static const char sent[] = "a\0<0>emergency\nnext\0\0";
                static const char want[] = "<6>a\n<6><0>emergency\n<6>next\n<6>\n";
                const char *out;
                size_t n;

                if (write(b.writer, sent, sizeof(sent) - 1) != (ssize_t)sizeof(sent) - 1)
                        abort();
                (void)output_relay_read(&b.o);
                out = got_n(&b, &n);
                CHECK(n == sizeof(want) - 1 && memcmp(out, want, n) == 0,
                      "a NUL ends a line: no byte after it is read by journald as a priority");
        }
        bench_close(&b);

        /* berth's own stream has its priority in the header and no level prefix: nothing of the
         * payload's is read as a priority, not even where journald breaks a line at a LineMax=
         * the admin made small (tests/system/journal.sh checks what journald records). */
        bench_open_to(&b, true, true);
        put(&b, "<0>boom\nplain\n");
        (void)output_relay_read(&b.o);
        CHECK_STREQ(got(&b), "<0>boom\nplain\n",
                    "own stream: the lines as the payload wrote them, no <3> added");
        bench_close(&b);
        return test_done();
}

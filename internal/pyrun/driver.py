_pq_g = list(globals().items())
# pyquiz fork server: no docstring on purpose, the first statement snapshots
# the globals a script's __main__ starts with. Valid on Python 2.7 and 3.x.
# Requests arrive on fd 3, one line and the snippet's bytes:
# "RUN\t<cap>\t<workdir>\t<statusfile>\t<argv0>\t<plain argv>\t<n>\t<id>\t<group>\n"
# where <plain argv> is empty (fork) or the argv of a plain run joined by
# \x1f. While run <id> goes on, "I <id>\n" interrupts it (SIGINT) and
# "K <id>\n" kills it; commands for other runs (late ones) are ignored.
# Replies go to fd 4: "P <pid>", "O <n>"+bytes, "E <n>"+bytes, and
# "X <code> <flood> <exception>" (exception "-": none; "?": not reported).
import sys
import os
_pq_mods = set(sys.modules)
import select
import errno
from itertools import count as _pq_count
# signal.py would import enum, collections and more on Python 3: the C
# module is all the server needs, and every module it holds is memory a
# child touches (each page a child writes costs a copy-on-write fault).
try:
    import _signal as _pq_signal
except ImportError:
    import signal as _pq_signal
# PID 1 means a sandbox of our own (see internal/sandbox): everything in it
# but this process belongs to the current run and is killed when it ends.
_pq_pid1 = os.getpid() == 1
# Out of a snippet's reach (it runs as the same user): not dumpable, so no
# ptrace and no /proc/1/{mem,environ,fd} for it; a child is made dumpable
# again, as a fresh interpreter is.
_pq_prctl = None
if _pq_pid1 and sys.platform.startswith('linux'):
    try:
        import ctypes as _pq_ct
        _pq_prctl = _pq_ct.CDLL(None).prctl
        if _pq_prctl(4, 0, 0, 0, 0) != 0:  # PR_SET_DUMPABLE
            _pq_prctl = None
        del _pq_ct
    except Exception:
        _pq_prctl = None
# The server must not die of a stray SIGINT (as PID 1 it would take the
# sandbox with it); children put Python's handler back.
_pq_signal.signal(_pq_signal.SIGINT, _pq_signal.SIG_IGN)
# A child's end wakes the relay even when a descendant holds its pipes.
_pq_wake = os.pipe()
try:
    import fcntl as _pq_fcntl
    for _pq_fd in _pq_wake:
        _pq_fcntl.fcntl(_pq_fd, _pq_fcntl.F_SETFL, _pq_fcntl.fcntl(_pq_fd, _pq_fcntl.F_GETFL) | os.O_NONBLOCK)
    del _pq_fd
except ImportError:
    pass
_pq_signal.signal(_pq_signal.SIGCHLD, lambda s, f: None)
_pq_signal.set_wakeup_fd(_pq_wake[1])
_pq_py3 = sys.version_info[0] >= 3
_pq_errcap = 65536
# The first compile() in a process costs milliseconds of one-time set-up;
# pay it here once instead of in every child. It imports nothing.
compile(b'pass\n', '<pyquiz-warm-up>', 'exec', 0, True)
# Python 3.13 prints tracebacks with the traceback module, imported on the
# first uncaught exception (some 25 modules). Import them here once; a child
# hides them from the snippet and puts them back just before its own
# uncaught exception is printed, when a plain run would import them.
_pq_pre = {}
if sys.version_info >= (3, 13):
    _pq_m0 = set(sys.modules)

    class _PqSink(object):
        def write(self, s):
            return len(s)

        def flush(self):
            pass

        def isatty(self):
            return False

    _pq_saved = sys.stderr
    sys.stderr = _PqSink()
    try:
        try:
            raise ValueError('warm-up')
        except ValueError:
            sys.excepthook(*sys.exc_info())
    except BaseException:
        pass
    sys.stderr = _pq_saved
    _pq_pre = dict((k, sys.modules[k]) for k in set(sys.modules) - _pq_m0)
    del _pq_m0, _pq_saved, _PqSink
# Keep the cycle collector off the server's own objects, so a child's
# collections do not touch (and copy-on-write) every inherited page.
# Snippets that look at gc run as plain runs.
try:
    import gc as _pq_gc
    _pq_gc.collect()
    _pq_gc.freeze()
except (ImportError, AttributeError):
    pass


# What a child removes from sys.modules: what the server imported itself.
_pq_drop = tuple(k for k in sys.modules if k not in _pq_mods)
del _pq_mods
_pq_null = os.open(os.devnull, os.O_RDONLY)


def _pq_send(b):
    while b:
        n = os.write(4, b)
        b = b[n:]


_pq_buf = [b'']


def _pq_line():
    buf = _pq_buf[0]
    while b'\n' not in buf:
        c = os.read(3, 65536)
        if not c:
            os._exit(0)
        buf += c
    line, _pq_buf[0] = buf.split(b'\n', 1)
    return line


def _pq_frame(tag, data):
    _pq_send(('%s %d\n' % (tag, len(data))).encode('ascii') + data)


def _pq_kill(pid, sig):
    try:
        os.kill(-pid, sig)
    except OSError:
        pass
    if _pq_pid1 and sig == 9:
        try:
            os.kill(-1, 9)
        except OSError:
            pass


def _pq_command(pid, run):
    # fd 3 during a run: "I <id>" (time is up), "K <id>" (kill), or pyquiz gone.
    more = os.read(3, 65536)
    if not more:
        _pq_kill(pid, 9)
        os._exit(0)
    _pq_buf[0] += more
    hit = False
    while b'\n' in _pq_buf[0]:
        line, rest = _pq_buf[0].split(b'\n', 1)
        cmd = line.split(b' ')
        if len(cmd) != 2 or cmd[0] not in (b'I', b'K'):
            break  # the next request, sent early
        _pq_buf[0] = rest
        if cmd[1] == run:
            _pq_kill(pid, cmd[0] == b'I' and _pq_signal.SIGINT or 9)
            hit = True
    return hit


def _pq_relay(pid, out, err, cap, status, run, done=None):
    # done, for a run in the worker: its pipe, on which it writes a byte
    # once it has finished the run and closed its ends of the run's FIFOs.
    # Returns whether the worker lives on for the next run.
    fds = {out: 'O', err: 'E'}
    total = 0
    errtotal = 0
    flood = False
    st = None
    alive = done is not None
    over = False
    watch = [3, _pq_wake[0]]
    if done is not None:
        watch.append(done)
    # A worker's run is over when it says so (its FIFOs may end first) or
    # it is gone.
    while fds or (alive and not over):
        # When the child has ended, what it started dies with it (PID 1),
        # or, outside a sandbox, is not waited for: only what is already
        # in the pipes is read. So once the worker is done with a run (a
        # process it left, which might hold the FIFOs, is killed first),
        # or gone (it may have died before opening the FIFOs).
        timeout = None
        if over or (st is not None and (done is not None or not _pq_pid1)):
            timeout = 0
        try:
            ready = select.select(list(fds) + watch, [], [], timeout)[0]
        except (OSError, select.error) as ex:
            if ex.args and ex.args[0] == errno.EINTR:
                continue
            raise
        if not ready and timeout == 0:
            break
        for fd in ready:
            if fd == done:
                try:
                    os.read(fd, 512)
                except OSError:
                    pass
                watch.remove(done)
                over = True
                if alive and _pq_strays(pid):
                    _pq_kill(pid, 9)
                    alive = False
                continue
            if fd == _pq_wake[0]:
                try:
                    os.read(fd, 512)
                except OSError:
                    pass
                if st is None:
                    try:
                        p, w = os.waitpid(pid, os.WNOHANG)
                    except OSError:
                        p, w = pid, 0
                    if p == pid:
                        st = w
                        alive = False
                        if _pq_pid1:
                            _pq_kill(pid, 9)
                continue
            if fd == 3:
                if _pq_command(pid, run):
                    alive = False
                continue
            try:
                data = os.read(fd, 65536)
            except OSError as ex:
                if ex.errno == errno.EINTR:
                    continue
                data = b''
            if not data:
                os.close(fd)
                del fds[fd]
                continue
            if fds[fd] == 'O':
                if flood:
                    continue
                if total + len(data) > cap:
                    data = data[:cap - total]
                    flood = True
                    alive = False
                    _pq_kill(pid, 9)
                total += len(data)
            else:
                if errtotal >= _pq_errcap:
                    continue
                data = data[:_pq_errcap - errtotal]
                errtotal += len(data)
            if data:
                _pq_frame(fds[fd], data)
    for fd in fds:
        os.close(fd)
    code = None
    name = '?'
    kept = False
    if not flood:
        try:
            # Without blocking or following a link: the snippet may have
            # replaced its own status file with anything.
            fd = os.open(status, os.O_RDONLY | os.O_NONBLOCK | getattr(os, 'O_NOFOLLOW', 0))
            try:
                parts = os.read(fd, 256).split(b'\n')
            finally:
                os.close(fd)
            name = parts[0].decode('ascii', 'replace') or '-'
            if len(parts) in (2, 3):
                code = int(parts[1])
            kept = len(parts) == 3 and parts[2] == b'K' and alive
        except (IOError, OSError, ValueError):
            pass
    if code is not None:
        _pq_send(('X %d 0 %s\n' % (code, name)).encode('ascii'))
    if kept:
        return True
    if done is not None and st is None:
        _pq_kill(pid, 9)  # a worker that goes on no more, whatever it says
    while st is None:
        try:
            st = os.waitpid(pid, 0)[1]
        except OSError as ex:
            if ex.errno != errno.EINTR:
                raise
    _pq_kill(pid, 9)
    if code is None:
        if os.WIFEXITED(st):
            code = os.WEXITSTATUS(st)
        else:
            code = -os.WTERMSIG(st)
        _pq_send(('X %d %d %s\n' % (code, flood and 1 or 0, name)).encode('ascii'))
    return False


def _pq_rm(path):
    if os.path.isdir(path) and not os.path.islink(path):
        try:
            os.chmod(path, 448)
        except OSError:
            pass
        for name in os.listdir(path):
            _pq_rm(os.path.join(path, name))
        os.rmdir(path)
    else:
        os.unlink(path)


def _pq_reap():
    # Waits for every other process of the sandbox to end (PID 1 inherits
    # them all).
    while True:
        try:
            os.waitpid(-1, 0)
        except OSError as ex:
            if ex.errno == errno.ECHILD:
                return
            if ex.errno != errno.EINTR:
                raise


def _pq_ncb():
    # How many atexit handlers are registered.
    ax = sys.modules.get('atexit')
    if ax is None:
        return 0
    if _pq_py3:
        return ax._ncallbacks()
    return len(ax._exithandlers)


# A worker keeps the standard library's modules a run brought in for the
# next run (the scan lets in only those with no state an honest snippet
# changes, or whose state a run starts from afresh, see _pq_fresh); a
# module from anywhere else (one the snippet wrote and imported) goes.
_pq_lib = os.path.dirname(os.__file__) + os.sep


def _pq_stdlib(m):
    f = getattr(m, '__file__', None)
    if f is None:
        # Built into the interpreter, or frozen; a namespace package has
        # a __path__ of folders.
        return getattr(m, '__path__', None) is None
    return f.startswith(_pq_lib) and 'site-packages' not in f and 'dist-packages' not in f


def _pq_counter():
    # A fresh module's name counter: its first number is 1.
    c = _pq_count(1)
    return getattr(c, '__next__', None) or c.next


def _pq_fresh():
    # In a worker before each run: the state of kept modules a run may
    # change the way an honest snippet does, set as a fresh import would.
    # random: seeded afresh (a fresh process seeds from the OS); asyncio:
    # no event loop policy yet, so no loop (asyncio.run and a loop closed
    # or left set by an earlier run are forgotten).
    m = sys.modules.get('random')
    if m is not None:
        m.seed()
    m = sys.modules.get('asyncio.events')
    if m is not None:
        m._event_loop_policy = None
    # The counters that name threads (Thread-1) and asyncio's Python tasks
    # (Task-1) start again. (The C tasks' counter cannot be reached: the
    # scan keeps snippets that ask a task's name out of workers.)
    m = sys.modules.get('threading')
    if m is not None and hasattr(m, '_counter'):
        m._counter = _pq_counter()
    m = sys.modules.get('asyncio.tasks')
    if m is not None and hasattr(m, '_task_name_counter'):
        m._task_name_counter = _pq_counter()
    # weakref.finalize: a run whose exit handlers ran (see the end of a
    # run) left it shut down, as at exit; it works again, as in a fresh
    # process, and registers its exit handler again when next used.
    m = getattr(sys.modules.get('weakref'), 'finalize', None)
    if m is not None and getattr(m, '_shutdown', False):
        m._shutdown = False
        m._registered_with_atexit = False
    # warnings: what was shown once per place is shown again (a warning
    # from inside a kept module, once per process otherwise).
    m = sys.modules.get('warnings')
    if m is not None:
        m.onceregistry.clear()
        if hasattr(m, '_filters_mutated'):
            m._filters_mutated()
        else:
            for k in list(sys.modules.values()):
                r = getattr(k, '__warningregistry__', None)
                if isinstance(r, dict):
                    r.clear()
    # What the run finds on the import path, to put back after it.
    return (sys.path, list(sys.path), sys.meta_path, list(sys.meta_path),
            sys.path_hooks, list(sys.path_hooks), dict(sys.path_importer_cache),
            set(sys.modules), _pq_ncb())


def _pq_restore(st):
    # In a worker after a run it lives on after: the import path as it
    # was, and the modules the run imported from elsewhere than the
    # standard library (its own, written to a folder it put on the path)
    # forgotten, so that the next run imports its own afresh.
    sys.path = st[0]
    sys.path[:] = st[1]
    sys.meta_path = st[2]
    sys.meta_path[:] = st[3]
    sys.path_hooks = st[4]
    sys.path_hooks[:] = st[5]
    sys.path_importer_cache.clear()
    sys.path_importer_cache.update(st[6])
    for k in list(sys.modules):
        if k not in st[7] and not _pq_stdlib(sys.modules[k]):
            del sys.modules[k]


def _pq_same(io):
    for a, b in zip(io, (sys.stdin, sys.stdout, sys.stderr, sys.excepthook, sys.displayhook)):
        if a is not b:
            return False
    return True


def _pq_alone():
    # The worker's only thread (no Python thread, none started in C). A
    # thread that was joined may still be on its way out of the kernel
    # (on a loaded machine, for a while): it gets up to a second.
    wait = 0.001
    while wait < 1:
        try:
            if len(os.listdir('/proc/self/task')) == 1:
                return True
        except OSError:
            return False
        select.select([], [], [], wait)
        wait *= 2
    return False


def _pq_strays(worker):
    # The processes of this sandbox other than this server and the worker.
    found = []
    for name in os.listdir('/proc'):
        if name.isdigit() and int(name) not in (1, worker):
            found.append(int(name))
    return found


def _pq_clean(work, status, worker=None):
    # After a run: in a sandbox, every other process is dead and reaped
    # and /tmp and /dev/shm are empty again, as the next run expects them;
    # a server that cannot make them so ends (pyquiz starts another).
    # A worker that lives on is the only process left; when a run left
    # any other (it can fork, whatever a scan of its source says), the
    # worker goes too, and it returns None.
    try:
        if _pq_pid1:
            while worker is not None:
                try:
                    if os.waitpid(-1, os.WNOHANG)[0] == 0:
                        break
                except OSError as ex:
                    if ex.errno != errno.EINTR:
                        raise
            if worker is not None and _pq_strays(worker):
                _pq_kill(worker, 9)
                worker = None
            if worker is None:
                _pq_reap()
            # The status folder too: nothing a run leaves there (a FIFO,
            # a folder, a forged status under a later run's name) is seen
            # by the next one.
            for top in ('/tmp', '/dev/shm', os.path.dirname(status)):
                for name in os.listdir(top):
                    _pq_rm(os.path.join(top, name))
        else:
            _pq_rm(work)
            os.unlink(status)
    except (IOError, OSError):
        if _pq_pid1:
            os._exit(3)
    return worker


_pq_send(('H %d %d.%d.%d\n' % ((hash('pyquiz-seed-probe'),) + tuple(sys.version_info[:3]))).encode('ascii'))
# The worker: a child that runs one shared snippet after another (see
# runner.go, NeedsOwnProcess), as [pid, group, request pipe, done pipe],
# or None. Only snippets of one group (verify's: one pack) share it.
_pq_wk = None


def _pq_wgone(wk):
    # The worker has gone: the server's ends of its pipes go too.
    os.close(wk[2])
    os.close(wk[3])
    return None


def _pq_wend(wk):
    # The worker goes, and with it everything else in the sandbox.
    _pq_kill(wk[0], 9)
    _pq_reap()
    return _pq_wgone(wk)


def _pq_adopt(pid, ends):
    # In the server after a fork: its copies of the child's pipe ends go,
    # and the child leads a process group of its own (killed as one).
    for fd in ends:
        os.close(fd)
    try:
        os.setpgid(pid, pid)
    except OSError:
        pass


while True:
    _pq_req = _pq_line()
    if _pq_req[:2] in (b'I ', b'K '):
        continue  # for a run that already ended
    _pq_req = _pq_req.split(b'\t')
    _pq_run = _pq_req[7]
    _pq_need = int(_pq_req[6])
    while len(_pq_buf[0]) < _pq_need:
        _pq_c = os.read(3, 65536)
        if not _pq_c:
            os._exit(0)
        _pq_buf[0] += _pq_c
    _pq_c, _pq_buf[0] = _pq_buf[0][:_pq_need], _pq_buf[0][_pq_need:]
    if _pq_py3:
        _pq_req = [os.fsdecode(x) for x in _pq_req]
    _pq_cap = int(_pq_req[1])
    os.mkdir(_pq_req[2], 448)
    _pq_f = os.open(os.path.join(_pq_req[2], _pq_req[4]), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 384)
    while _pq_c:
        _pq_c = _pq_c[os.write(_pq_f, _pq_c):]
    os.close(_pq_f)
    try:
        os.read(_pq_wake[0], 512)  # the last run's SIGCHLD
    except OSError:
        pass
    # A shared run goes to the worker (forked now when there is none: one
    # that ended, or one of another group, goes first); its output comes
    # through two FIFOs the worker opens as its stdout and stderr for this
    # run and closes after it. Any other run is a child of its own.
    _pq_grp = len(_pq_req) > 8 and _pq_req[8] or ''
    _pq_share = bool(_pq_grp) and _pq_pid1 and not _pq_req[5]
    if _pq_wk is not None:
        try:
            if os.waitpid(_pq_wk[0], os.WNOHANG)[0] != 0:
                _pq_wk[0] = -1
        except OSError:
            _pq_wk[0] = -1
        if _pq_wk[0] == -1:
            _pq_wk = _pq_wgone(_pq_wk)
    if _pq_wk is not None and (not _pq_share or _pq_wk[1] != _pq_grp):
        _pq_wk = _pq_wend(_pq_wk)
    _pq_wr = None
    _pq_pid = -1
    if _pq_share:
        os.mkfifo(_pq_req[3] + '.out', 384)
        os.mkfifo(_pq_req[3] + '.err', 384)
        _pq_o = (os.open(_pq_req[3] + '.out', os.O_RDONLY | os.O_NONBLOCK),)
        _pq_e = (os.open(_pq_req[3] + '.err', os.O_RDONLY | os.O_NONBLOCK),)
        for _pq_k in _pq_o + _pq_e:
            _pq_fcntl.fcntl(_pq_k, _pq_fcntl.F_SETFL, _pq_fcntl.fcntl(_pq_k, _pq_fcntl.F_GETFL) & ~os.O_NONBLOCK)
        if _pq_wk is None:
            _pq_w = os.pipe()
            _pq_dn = os.pipe()
            _pq_pid = os.fork()
            if _pq_pid == 0:
                _pq_wr = _pq_w[0]
            else:
                _pq_adopt(_pq_pid, (_pq_w[0], _pq_dn[1]))
                _pq_wk = [_pq_pid, _pq_grp, _pq_w[1], _pq_dn[0]]
    else:
        _pq_o = os.pipe()
        _pq_e = os.pipe()
        _pq_pid = os.fork()
    if _pq_pid == 0:
        # The child: become what `python -I <argv0>` run in <workdir> would be.
        try:
            os.setpgid(0, 0)
            if _pq_prctl is not None:
                _pq_prctl(4, 1, 0, 0, 0)
            _pq_signal.set_wakeup_fd(-1)
            _pq_signal.signal(_pq_signal.SIGCHLD, _pq_signal.SIG_DFL)
            os.dup2(_pq_null, 0)
            # The server holds only a handful of descriptors (its protocol
            # pipes, the run's pipes); a plain run has none beyond 0-2. A
            # worker keeps its request pipe as fd 3 and /dev/null as fd 4,
            # its stdout and stderr between runs.
            _pq_top = max(_pq_o + _pq_e + _pq_wake + (_pq_null,)) + 32
            if _pq_wr is None:
                os.dup2(_pq_o[1], 1)
                os.dup2(_pq_e[1], 2)
                os.closerange(3, _pq_top)
                os.chdir(_pq_req[2])
            else:
                # fd 3: requests; 4: /dev/null, its stdout and stderr
                # between runs; 5: "done" (see _pq_relay).
                os.dup2(_pq_wr, 3)
                os.dup2(_pq_dn[1], 5)
                os.close(4)
                os.closerange(6, _pq_top)
                _pq_k = os.open(os.devnull, os.O_WRONLY)
                if _pq_k != 4:
                    os.dup2(_pq_k, 4)
                    os.close(_pq_k)
                os.dup2(4, 1)
                os.dup2(4, 2)
        except BaseException:
            os._exit(70)
        if _pq_req[5]:
            # A plain run: a fresh interpreter, in this sandbox.
            try:
                _pq_signal.signal(_pq_signal.SIGINT, _pq_signal.SIG_DFL)
                _pq_a = _pq_req[5].split('\x1f')
                os.execv(_pq_a[0], _pq_a)
            finally:
                os._exit(127)
        _pq_signal.signal(_pq_signal.SIGINT, _pq_signal.default_int_handler)
        for _pq_k in _pq_drop:
            sys.modules.pop(_pq_k, None)
        # What a run may replace but must not leave replaced.
        _pq_io = (sys.stdin, sys.stdout, sys.stderr, sys.excepthook, sys.displayhook)
        _pq_st = None
        while True:
            if _pq_wr is not None:
                # A worker's next run: "<workdir>\t<statusfile>\t<argv0>\n".
                _pq_wb = b''
                while b'\n' not in _pq_wb:
                    _pq_c = os.read(3, 4096)
                    if not _pq_c:
                        os._exit(0)
                    _pq_wb += _pq_c
                _pq_a = _pq_wb[:-1].split(b'\t')
                if _pq_py3:
                    _pq_a = [os.fsdecode(x) for x in _pq_a]
                _pq_req = ['RUN', '', _pq_a[0], _pq_a[1], _pq_a[2], '']
                _pq_k = os.open(_pq_a[1] + '.out', os.O_WRONLY)
                os.dup2(_pq_k, 1)
                os.close(_pq_k)
                _pq_k = os.open(_pq_a[1] + '.err', os.O_WRONLY)
                os.dup2(_pq_k, 2)
                os.close(_pq_k)
                os.chdir(_pq_a[0])
            _pq_status = _pq_req[3]
            _pq_arg = _pq_req[4]
            if _pq_py3 and sys.version_info >= (3, 9):
                _pq_file = os.getcwd().rstrip('/') + '/' + _pq_arg
            else:
                _pq_file = _pq_arg
            sys.argv = [_pq_arg]
            if hasattr(sys, 'orig_argv'):
                sys.orig_argv = list(sys.orig_argv[:-1]) + [_pq_arg]
            if not _pq_py3:
                sys.path[0] = os.path.dirname(os.path.realpath(_pq_arg))
            _pq_m = type(sys)('__main__')
            _pq_d = _pq_m.__dict__
            _pq_d.clear()
            for _pq_k, _pq_v in _pq_g:
                if _pq_k == '__file__':
                    _pq_v = _pq_file
                elif _pq_k == '__loader__' and _pq_v is not None:
                    _pq_v = type(_pq_v)('__main__', _pq_file)
                elif _pq_k == '__annotations__':
                    _pq_v = {}
                _pq_d[_pq_k] = _pq_v
            sys.modules['__main__'] = _pq_m
            if _pq_wr is not None:
                _pq_st = _pq_fresh()
            _pq_x = None
            try:
                _pq_f = open(_pq_file, 'rb')
                try:
                    _pq_c = _pq_f.read()
                finally:
                    _pq_f.close()
                _pq_c = compile(_pq_c, _pq_file, 'exec', 0, True)
                exec(_pq_c, _pq_d)
            except BaseException:
                _pq_x = sys.exc_info()
            _pq_c = None
            _pq_name = ''
            if _pq_x is not None:
                _pq_name = _pq_x[0].__name__
            # Never blocking (the snippet may have put a FIFO there) nor
            # following a link.
            _pq_nb = os.O_NONBLOCK | getattr(os, 'O_NOFOLLOW', 0)
            _pq_sf = os.open(_pq_status, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _pq_nb, 384)
            os.write(_pq_sf, _pq_name.encode('ascii', 'replace'))
            os.close(_pq_sf)
            # Not in a worker: what the snippet imported may not match what
            # the server held (a collections without its abc, say), which
            # the next runs would find; a worker imports them once.
            if _pq_x is not None and _pq_wr is None:
                for _pq_k in _pq_pre:
                    if _pq_k not in sys.modules:
                        sys.modules[_pq_k] = _pq_pre[_pq_k]
            # Do what Py_Finalize does that a snippet can observe (flush a
            # pending 2.7 softspace, join threads, atexit, flush the streams)
            # and skip the module teardown, the slow part of an exit (a
            # snippet that may act then is a plain run, see NeedsTeardown).
            _pq_code = 0
            if _pq_x is not None:
                _pq_t, _pq_v, _pq_tb = _pq_x
                _pq_x = None
                if issubclass(_pq_t, SystemExit):
                    _pq_c = _pq_v.code
                    if _pq_c is None:
                        _pq_code = 0
                    elif isinstance(_pq_c, int) and 0 <= _pq_c <= 255:
                        _pq_code = int(_pq_c)
                    else:
                        raise _pq_v
                else:
                    sys.last_type, sys.last_value, sys.last_traceback = _pq_t, _pq_v, _pq_tb.tb_next
                    if hasattr(sys, 'last_exc'):
                        sys.last_exc = _pq_v
                    try:
                        sys.excepthook(_pq_t, _pq_v, _pq_tb.tb_next)
                    except BaseException:
                        pass
                    _pq_code = 1
                _pq_t = _pq_v = _pq_tb = _pq_c = None
            if not _pq_py3:
                try:
                    if getattr(sys.stdout, 'softspace', 0):
                        sys.stdout.softspace = 0
                        sys.stdout.write('\n')
                except BaseException:
                    pass
            # A worker lives on only if the run leaves it as a fresh
            # process would be for the next run: threads it started have
            # ended (and were joined: Python joins the others at exit),
            # exit handlers it registered have run.
            _pq_lone = _pq_wr is not None
            _pq_th = sys.modules.get('threading')
            if _pq_th is not None and (_pq_wr is None or _pq_th.active_count() > 1):
                _pq_lone = False
                try:
                    _pq_th._shutdown()
                except BaseException:
                    pass
            _pq_th = None
            try:
                # No atexit module, no handlers: nothing else registers them.
                # A worker runs those its run registered, when they are all
                # there are: running them empties the list.
                _pq_k = _pq_wr is None or _pq_ncb() > _pq_st[8]
                if _pq_k and _pq_wr is not None and _pq_st[8]:
                    _pq_lone = False
                if _pq_k and _pq_py3:
                    _pq_ax = sys.modules.get('atexit')
                    if _pq_ax is not None:
                        _pq_ax._run_exitfuncs()
                elif _pq_k and hasattr(sys, 'exitfunc'):
                    _pq_ax = sys.exitfunc
                    if _pq_wr is None:
                        del sys.exitfunc
                    _pq_ax()
            except BaseException:
                pass
            _pq_ax = None
            if _pq_lone:
                _pq_lone = _pq_alone()
            if _pq_lone:
                # What the snippet left goes now, as at a plain run's exit:
                # an asyncio task still pending, say, says so on this run's
                # stderr, not on a later one's. What stays (the kept
                # modules) is frozen, so the next collection is as cheap.
                try:
                    for _pq_k in ('last_type', 'last_value', 'last_traceback', 'last_exc'):
                        if hasattr(sys, _pq_k):
                            delattr(sys, _pq_k)
                    _pq_d.clear()
                    _pq_gc.collect()
                    if hasattr(_pq_gc, 'freeze'):
                        _pq_gc.freeze()
                except BaseException:
                    _pq_lone = False
            for _pq_s in ('stdout', 'stderr'):
                try:
                    getattr(sys, _pq_s).flush()
                except BaseException:
                    if _pq_s == 'stdout' and _pq_py3:
                        _pq_code = 120
            # A worker goes on unless the run ended in a way that may have left
            # it unlike a fresh process (time up, out of memory or stack, a
            # broken stdout, a thread or an exit handler left, the standard
            # streams or hooks replaced); a "K" in its status tells the
            # server so.
            _pq_keep = _pq_lone and _pq_code != 120 and _pq_name not in (
                'KeyboardInterrupt', 'MemoryError', 'RecursionError', 'SystemError') and (
                _pq_same(_pq_io)) and _pq_ncb() <= _pq_st[8]
            # Tell the exit code now and close the pipes, so the server can
            # answer before the kernel has torn this process down.
            try:
                _pq_sf = os.open(_pq_status, os.O_WRONLY | os.O_APPEND | _pq_nb)
                os.write(_pq_sf, ('\n%d%s' % (_pq_code, _pq_keep and '\nK' or '')).encode('ascii'))
                os.close(_pq_sf)
                if _pq_keep:
                    os.dup2(4, 1)
                    os.dup2(4, 2)
                    os.write(5, b'.')
                else:
                    os.close(1)
                    os.close(2)
            except BaseException:
                if _pq_keep:
                    os._exit(_pq_code)
            if not _pq_keep:
                os._exit(_pq_code)
            # Nothing of this run stays where the next one could see it.
            for _pq_k in ('last_type', 'last_value', 'last_traceback', 'last_exc'):
                if hasattr(sys, _pq_k):
                    delattr(sys, _pq_k)
            if not _pq_py3:
                sys.exc_clear()
            _pq_restore(_pq_st)
            _pq_m = _pq_d = _pq_x = _pq_f = _pq_st = None
        os._exit(70)
    if _pq_share:
        # Nothing written on the "done" pipe before this run counts for it
        # (a snippet can write there too).
        while select.select([_pq_wk[3]], [], [], 0)[0]:
            if not os.read(_pq_wk[3], 512):
                break
        # To the worker: this run.
        try:
            _pq_k = ('%s\t%s\t%s\n' % (_pq_req[2], _pq_req[3], _pq_req[4]))
            if _pq_py3:
                _pq_k = os.fsencode(_pq_k)
            while _pq_k:
                _pq_k = _pq_k[os.write(_pq_wk[2], _pq_k):]
        except OSError:
            os._exit(3)  # pyquiz starts another server and runs it there
        _pq_send(('P %d\n' % _pq_wk[0]).encode('ascii'))
        if not _pq_relay(_pq_wk[0], _pq_o[0], _pq_e[0], _pq_cap, _pq_req[3], _pq_run, _pq_wk[3]):
            _pq_wk[0] = -1
        if _pq_clean(_pq_req[2], _pq_req[3], _pq_wk[0] != -1 and _pq_wk[0] or None) is None:
            _pq_wk = _pq_wgone(_pq_wk)
        continue
    _pq_adopt(_pq_pid, (_pq_o[1], _pq_e[1]))
    _pq_send(('P %d\n' % _pq_pid).encode('ascii'))
    _pq_relay(_pq_pid, _pq_o[0], _pq_e[0], _pq_cap, _pq_req[3], _pq_run)
    _pq_clean(_pq_req[2], _pq_req[3])

namespace GlassML.Learning;

/// <summary>
/// A fixed team of threads for many short parallel loops (the thousands of per-level loops of a GBDT fit): the calling
/// thread runs items too, and between loops the other threads spin for a short while before they sleep, so a loop that
/// follows closely on the last one starts without a thread wake-up (which on a virtual machine with an idle core costs tens
/// of microseconds per loop — as OpenMP's spinning threads do for XGBoost). Items are claimed one at a time in any order,
/// so a loop body must write only its own item's outputs; results then do not depend on the number of threads.
/// Not reentrant: one loop at a time, started from the owning thread. With one thread no thread is started.
/// </summary>
internal sealed class WorkerTeam : IDisposable
{
    /// <summary>How long an idle worker spins for the next loop before it sleeps.</summary>
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 5_000; // 200 µs

    private sealed class Job(Action<int> body, int count)
    {
        public readonly Action<int> Body = body;
        public readonly int Count = count;
        public int Next, Done;
        public Exception? Error;

        public void Work()
        {
            int i;
            while ((i = Interlocked.Increment(ref Next) - 1) < Count)
            {
                try { Body(i); }
                catch (Exception e) { Interlocked.CompareExchange(ref Error, e, null); }
                Interlocked.Increment(ref Done);
            }
        }
    }

    private readonly Thread[] workers;
    private readonly object gate = new();
    private Job? job;
    private int generation, sleepers;
    private volatile bool stopping;

    /// <summary>A team of <paramref name="threads"/> threads in all (the caller and threads − 1 workers).</summary>
    public WorkerTeam(int threads)
    {
        Threads = Math.Max(1, threads);
        workers = new Thread[Threads - 1];
        for (int k = 0; k < workers.Length; k++)
        {
            workers[k] = new Thread(WorkerLoop) { IsBackground = true, Name = "glassml-gbdt" };
            workers[k].Start();
        }
    }

    /// <summary>Threads in the team, the caller included.</summary>
    public int Threads { get; }

    /// <summary>Runs body(0) … body(count − 1) on the team and returns when all are done; an item's exception is rethrown (the first one caught, after all items ran).</summary>
    public void For(int count, Action<int> body)
    {
        if (count <= 0) return;
        if (workers.Length == 0 || count == 1)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        var j = new Job(body, count);
        Volatile.Write(ref job, j);
        Interlocked.Increment(ref generation);
        if (Volatile.Read(ref sleepers) > 0) lock (gate) Monitor.PulseAll(gate);
        j.Work();
        var spin = new SpinWait();
        while (Volatile.Read(ref j.Done) < count) spin.SpinOnce(-1);
        if (j.Error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(j.Error).Throw();
    }

    private void WorkerLoop()
    {
        int seen = 0;
        while (true)
        {
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            int spins = 0;
            while (Volatile.Read(ref generation) == seen && !stopping)
            {
                if (++spins < 64) Thread.SpinWait(16);
                else
                {
                    spins = 0;
                    if (System.Diagnostics.Stopwatch.GetTimestamp() - t0 > SpinTicks)
                    {
                        lock (gate)
                        {
                            Interlocked.Increment(ref sleepers);
                            while (Volatile.Read(ref generation) == seen && !stopping) Monitor.Wait(gate);
                            Interlocked.Decrement(ref sleepers);
                        }
                    }
                    else Thread.Yield();
                }
            }
            if (stopping) return;
            seen = Volatile.Read(ref generation);
            Volatile.Read(ref job)!.Work();
        }
    }

    /// <summary>Stops the workers.</summary>
    public void Dispose()
    {
        stopping = true;
        lock (gate) Monitor.PulseAll(gate);
        foreach (var w in workers) w.Join();
    }
}

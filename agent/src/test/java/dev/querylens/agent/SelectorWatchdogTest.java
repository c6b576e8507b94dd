package dev.querylens.agent;

import dev.querylens.core.watchdog.DeadlineAlarm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The metrics endpoint's selector loop as the EXPLAIN sampler's watchdog, over a real server on 127.0.0.1: an armed
 * alarm interrupts its thread at the deadline, a cancelled one never does, and the endpoint serves while alarms are
 * armed; a task runs on the loop's thread, one that hands itself over again runs on the next pass, after the
 * requests that came meanwhile, and a task accepted when the loop stops still runs once.
 */
class SelectorWatchdogTest {

    private static final String METRICS = "querylens_statements_total 3.0\n";
    private final SelectorWatchdog watchdog = new SelectorWatchdog();
    private MetricsServer server;
    private int port;

    @AfterEach
    void stop() {
        Thread.interrupted();
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void anAlarmInterruptsItsThreadAtTheDeadline() throws Exception {
        start();
        long start = System.nanoTime();
        DeadlineAlarm alarm = arm(start + TimeUnit.MILLISECONDS.toNanos(300));
        try {
            Thread.sleep(20_000);
            fail("not interrupted");
        } catch (InterruptedException expected) {
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waited >= 300 && waited < 10_000, waited + " ms");
        }
        assertTrue(alarm.cancel(), "the alarm tells that it fired");
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void aCancelledAlarmFiresNothing() throws Exception {
        start();
        DeadlineAlarm alarm = arm(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100));
        assertFalse(alarm.cancel(), "fired before its deadline");
        Thread.sleep(600); // well past the deadline: an interrupt would end the sleep with an exception
        assertFalse(alarm.fire(), "still armed after cancel");
    }

    @Test
    void theEndpointServesWhileAlarmsAreArmed() throws Exception {
        start();
        DeadlineAlarm far = arm(System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
        for (int i = 0; i < 5; i++) {
            String answer = get("/metrics");
            assertTrue(answer.startsWith("HTTP/1.1 200 ") && answer.endsWith(METRICS), answer);
        }
        assertFalse(far.settled(), "fired long before its deadline");
        assertFalse(far.cancel());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    /** An alarm armed before the loop runs waits for it, and fires at its deadline. */
    @Test
    void anAlarmArmedBeforeTheLoopRunsFiresOnceItDoes() throws Exception {
        long start = System.nanoTime();
        DeadlineAlarm early = DeadlineAlarm.forCurrentThread(start + TimeUnit.MILLISECONDS.toNanos(300));
        assertTrue(watchdog.watch(early), "refused before the loop ran");
        start();
        try {
            Thread.sleep(20_000);
            fail("not interrupted");
        } catch (InterruptedException expected) {
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300));
        }
        assertTrue(early.cancel());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    /**
     * An endpoint that cannot bind fires the alarms that waited for it at once and refuses the next ones (the
     * sampler then borrows on a thread of its own).
     */
    @Test
    void anEndpointThatCannotBindFiresWhatWaitedAndRefusesTheRest() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            DeadlineAlarm waiting = DeadlineAlarm.forCurrentThread(System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
            assertTrue(watchdog.watch(waiting));
            new MetricsServer("127.0.0.1", taken.getLocalPort(), () -> METRICS, () -> "[]", watchdog).startInBackground();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!waiting.settled() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(waiting.cancel(), "the alarm waiting for the endpoint was left armed");
            assertFalse(Thread.currentThread().isInterrupted());
            assertFalse(watchdog.watch(DeadlineAlarm.forCurrentThread(System.nanoTime())), "watched with no loop");
        }
    }

    /** Once the loop ends, alarms are refused; one armed when it stops fires then. */
    @Test
    void theAlarmsArmedWhenTheLoopStopsFireThenAndNoneAreTakenAfter() throws Exception {
        start();
        DeadlineAlarm far = arm(System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
        server.stop();
        // the loop sees the closed channel on its next wake-up, which arming makes
        List<DeadlineAlarm> wakers = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!far.settled() && System.nanoTime() < deadline) {
            DeadlineAlarm waker = DeadlineAlarm.forCurrentThread(System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
            if (watchdog.watch(waker)) {
                wakers.add(waker);
            }
            Thread.onSpinWait();
        }
        assertTrue(far.settled(), "an alarm left armed by the stopped loop");
        assertTrue(far.cancel(), "fired when the loop stopped");
        for (DeadlineAlarm waker : wakers) {
            waker.cancel();
        }
        assertFalse(Thread.currentThread().isInterrupted(), "an interrupt outlived the alarms");
        assertFalse(watchdog.watch(DeadlineAlarm.forCurrentThread(System.nanoTime())), "watched after the loop ended");
    }

    @Test
    void aTaskRunsOnTheLoopsThreadAndOneThatRequeuesItselfLetsRequestsThrough() throws Exception {
        start();
        List<String> ranOn = new CopyOnWriteArrayList<>();
        CountDownLatch served = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger passes = new AtomicInteger();
        Runnable[] self = new Runnable[1];
        // hands itself over again until a request was served in between, as the sampler's drain does per sample
        self[0] = () -> {
            ranOn.add(Thread.currentThread().getName());
            if (passes.incrementAndGet() < 10_000 && served.getCount() > 0) {
                assertTrue(watchdog.runOnOwnThread(self[0]));
            } else {
                done.countDown();
            }
        };
        assertTrue(watchdog.runOnOwnThread(self[0]));
        String answer = get("/metrics");
        served.countDown();
        assertTrue(answer.startsWith("HTTP/1.1 200 ") && answer.endsWith(METRICS), answer);
        assertTrue(done.await(10, TimeUnit.SECONDS), "the task still hands itself over");
        assertTrue(passes.get() < 10_000, "the loop ran the task but served nothing in " + passes.get() + " passes");
        assertEquals(Set.of("querylens-metrics"), Set.copyOf(ranOn));
    }

    @Test
    void aTaskAcceptedBeforeTheLoopStopsRunsOnceAndNoneAreTakenAfter() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch first = new CountDownLatch(1);
        assertTrue(watchdog.runOnOwnThread(() -> {
            ran.incrementAndGet();
            first.countDown();
        }), "refused before the loop ran");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            new MetricsServer("127.0.0.1", taken.getLocalPort(), () -> METRICS, () -> "[]", watchdog).startInBackground();
            assertTrue(first.await(10, TimeUnit.SECONDS), "the task that waited for the endpoint never ran");
        }
        assertFalse(watchdog.runOnOwnThread(ran::incrementAndGet), "taken with no loop");
        assertEquals(1, ran.get());
    }

    private void start() throws IOException {
        server = new MetricsServer("127.0.0.1", 0, () -> METRICS, () -> "[]", 5_000, 5_000, watchdog);
        port = server.start();
    }

    /** Arms {@code deadlineNanos} for this thread. */
    private DeadlineAlarm arm(long deadlineNanos) {
        DeadlineAlarm alarm = DeadlineAlarm.forCurrentThread(deadlineNanos);
        assertTrue(watchdog.watch(alarm), "refused");
        return alarm;
    }

    private String get(String path) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(5_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            in.transferTo(response);
            return response.toString(StandardCharsets.UTF_8);
        }
    }
}

package dev.querylens.agent;

import dev.querylens.agent.advice.AsyncStepAdvice;
import dev.querylens.agent.advice.ExecutorAdvice;
import dev.querylens.agent.advice.ForkJoinAdvice;
import dev.querylens.agent.advice.TaskHook;
import dev.querylens.agent.advice.TaskKind;
import dev.querylens.agent.advice.WorkUnitAdvice;
import dev.querylens.agent.hooks.TaskHooks;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaConstant;

import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.TimeUnit;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Instruments what carries units of work beyond servlet requests, by class name only (no hierarchy is looked at):
 * <ul>
 * <li>the JDK's executors and {@code CompletableFuture}'s asynchronous steps, so that a task runs in the unit of work
 * of the thread that handed it over (in the manner of OpenTelemetry's executor instrumentation: the unit is captured
 * when the task is submitted and restored around its run). A {@code Thread} the application starts by hand carries
 * nothing, nor do periodic tasks ({@code scheduleAtFixedRate}), which are jobs of their own;</li>
 * <li>{@code ForkJoinTask}: a task forked, or handed to a {@code ForkJoinPool}, in a unit runs in it (parallel
 * streams, {@code RecursiveTask}); the unit is kept beside the task until it runs ({@code doExec}), since a JDK class
 * cannot be given a field;</li>
 * <li>Spring's scheduling and messaging entry points: {@code ScheduledMethodRunnable} and the Spring AMQP, Kafka and
 * JMS listener adapters, each call a unit of work named {@code SCHEDULED <Class>.<method>} or
 * {@code MESSAGE <queue or topic>}.</li>
 * </ul>
 * The JDK classes are loaded by the bootstrap class loader, which cannot see the agent, and nothing is added to the
 * bootstrap class path: the advice inlined into them loads a dynamic constant, a method handle on
 * {@link TaskHooks#wrap}, built from JDK types only ({@code ClassLoader.getSystemClassLoader()},
 * {@code loadClass}, {@code MethodHandles.publicLookup().findStatic}), and one on {@link TaskHooks#forkJoin} for
 * fork/join tasks. The JVM resolves it once per instrumented class; each call afterwards is a constant method handle
 * call. If it cannot be resolved, the advice does nothing.
 */
final class WorkInstrumentation {

    /** Built at run time, like the other names the shade plugin must not rewrite. */
    private static final String TASK_HOOKS = TaskHooks.class.getName();

    private static final String ABSTRACT_EXECUTOR_SERVICE = "java.util.concurrent.AbstractExecutorService";
    private static final String THREAD_POOL_EXECUTOR = "java.util.concurrent.ThreadPoolExecutor";
    private static final String SCHEDULED_THREAD_POOL_EXECUTOR = "java.util.concurrent.ScheduledThreadPoolExecutor";
    private static final String FORK_JOIN_POOL = "java.util.concurrent.ForkJoinPool";
    private static final String FORK_JOIN_TASK = "java.util.concurrent.ForkJoinTask";
    /** {@code Executors.newVirtualThreadPerTaskExecutor()} and {@code newThreadPerTaskExecutor}, JDK 21 and later. */
    private static final String THREAD_PER_TASK_EXECUTOR = "java.util.concurrent.ThreadPerTaskExecutor";
    private static final String COMPLETABLE_FUTURE = "java.util.concurrent.CompletableFuture";
    /** Spring's executor for {@code @Async} when no pool is configured (and with virtual threads): a thread per task. */
    private static final String SIMPLE_ASYNC_TASK_EXECUTOR = "org.springframework.core.task.SimpleAsyncTaskExecutor";
    /** The JDK classes instrumented, all loaded by the bootstrap class loader. */
    private static final List<String> JDK_TYPES = List.of(ABSTRACT_EXECUTOR_SERVICE, THREAD_POOL_EXECUTOR,
            SCHEDULED_THREAD_POOL_EXECUTOR, FORK_JOIN_POOL, FORK_JOIN_TASK, THREAD_PER_TASK_EXECUTOR, COMPLETABLE_FUTURE);

    static final String SCHEDULED_METHOD_RUNNABLE = "org.springframework.scheduling.support.ScheduledMethodRunnable";
    private static final String[] AMQP_ADAPTERS = {
            "org.springframework.amqp.rabbit.listener.adapter.MessagingMessageListenerAdapter",
            "org.springframework.amqp.rabbit.listener.adapter.MessageListenerAdapter"};
    private static final String AMQP_BATCH_ADAPTER = "org.springframework.amqp.rabbit.listener.adapter.BatchMessagingMessageListenerAdapter";
    private static final String KAFKA_RECORD_ADAPTER = "org.springframework.kafka.listener.adapter.RecordMessagingMessageListenerAdapter";
    private static final String KAFKA_BATCH_ADAPTER = "org.springframework.kafka.listener.adapter.BatchMessagingMessageListenerAdapter";
    private static final String[] JMS_ADAPTERS = {
            "org.springframework.jms.listener.adapter.MessagingMessageListenerAdapter",
            "org.springframework.jms.listener.adapter.MessageListenerAdapter"};

    private WorkInstrumentation() {
    }

    static void install(Instrumentation inst, AgentBuilder.Listener errors) throws ReflectiveOperationException {
        JavaConstant hook = taskHook();
        Advice runnable = executorAdvice(hook, TaskHooks.RUNNABLE);
        Advice callable = executorAdvice(hook, TaskHooks.CALLABLE);
        Advice callables = executorAdvice(hook, TaskHooks.CALLABLES);
        Advice executed = executorAdvice(hook, TaskHooks.EXECUTED);
        JavaConstant forkJoinHook = forkJoinHook();
        Advice fork = Advice.withCustomMapping().bind(TaskHook.class, forkJoinHook).to(ForkJoinAdvice.Fork.class);
        Advice handOver = Advice.withCustomMapping().bind(TaskHook.class, forkJoinHook).to(ForkJoinAdvice.HandOver.class);
        Advice run = Advice.withCustomMapping().bind(TaskHook.class, forkJoinHook).to(ForkJoinAdvice.Run.class);

        ElementMatcher.Junction<MethodDescription> submitRunnable = named("submit").and(takesArgument(0, Runnable.class))
                .and(takesArguments(1).or(takesArguments(2)));
        ElementMatcher.Junction<MethodDescription> submitCallable = named("submit").and(takesArguments(Callable.class));
        ElementMatcher.Junction<MethodDescription> invokeAllOrAny = namedOneOf("invokeAll", "invokeAny")
                .and(takesArgument(0, Collection.class));
        ElementMatcher.Junction<MethodDescription> execute = named("execute").and(takesArguments(Runnable.class));
        ElementMatcher.Junction<MethodDescription> scheduleRunnable = named("schedule")
                .and(takesArguments(Runnable.class, long.class, TimeUnit.class));
        ElementMatcher.Junction<MethodDescription> scheduleCallable = named("schedule")
                .and(takesArguments(Callable.class, long.class, TimeUnit.class));
        ElementMatcher.Junction<MethodDescription> handOverTask = namedOneOf("execute", "submit", "invoke")
                .and(takesArguments(ForkJoinTask.class));

        SeesResource seesQuartz = new SeesResource(QUARTZ_JOB_RESOURCE);
        Set<String> named = new HashSet<>();
        for (String type : List.of(SIMPLE_ASYNC_TASK_EXECUTOR, SCHEDULED_METHOD_RUNNABLE, AMQP_BATCH_ADAPTER,
                KAFKA_RECORD_ADAPTER, KAFKA_BATCH_ADAPTER, AMQP_ADAPTERS[0], AMQP_ADAPTERS[1], JMS_ADAPTERS[0],
                JMS_ADAPTERS[1])) {
            named.add(type.replace('.', '/'));
        }
        for (String type : JDK_TYPES) {
            named.add(type.replace('.', '/'));
            // loaded (not initialised) before the agent looks for loaded classes to retransform: a class first loaded
            // while Byte Buddy transforms another one (describing ForkJoinTask loads ForkJoinPool) is left as it is
            try {
                Class.forName(type, false, null);
            } catch (ClassNotFoundException e) {
                // ThreadPerTaskExecutor before Java 21
            }
        }

        new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(errors)
                // every type below is matched by name, but for Quartz jobs: nothing else reaches Byte Buddy
                .with(ClassFilePrefilter.decorator(prefilter(named, seesQuartz)))
                .ignore(none())
                .type(named(ABSTRACT_EXECUTOR_SERVICE))
                .transform((b, type, loader, module, domain) -> b
                        .visit(runnable.on(submitRunnable))
                        .visit(callable.on(submitCallable))
                        .visit(callables.on(invokeAllOrAny)))
                .type(named(THREAD_POOL_EXECUTOR))
                .transform((b, type, loader, module, domain) -> b.visit(executed.on(execute)))
                .type(named(SCHEDULED_THREAD_POOL_EXECUTOR))
                .transform((b, type, loader, module, domain) -> b
                        .visit(runnable.on(scheduleRunnable))
                        .visit(callable.on(scheduleCallable)))
                .type(namedOneOf(FORK_JOIN_POOL, THREAD_PER_TASK_EXECUTOR))
                .transform((b, type, loader, module, domain) -> b
                        .visit(executed.on(execute))
                        .visit(runnable.on(submitRunnable.or(scheduleRunnable)))
                        .visit(callable.on(submitCallable.or(scheduleCallable)))
                        .visit(callables.on(invokeAllOrAny))
                        .visit(handOver.on(handOverTask)))
                .type(named(FORK_JOIN_TASK))
                .transform((b, type, loader, module, domain) -> b
                        .visit(fork.on(named("fork").and(takesArguments(0))))
                        // final int doExec() on Java 17, final void doExec() on 21 and later
                        .visit(run.on(named("doExec").and(takesArguments(0)))))
                .type(named(SIMPLE_ASYNC_TASK_EXECUTOR))
                .transform((b, type, loader, module, domain) -> b
                        .visit(runnable.on(named("doExecute").and(takesArguments(Runnable.class)))))
                .type(named(COMPLETABLE_FUTURE))
                .transform((b, type, loader, module, domain) -> asyncSteps(b, hook))
                .type(named(SCHEDULED_METHOD_RUNNABLE))
                .transform((b, type, loader, module, domain) -> b
                        .visit(Advice.to(WorkUnitAdvice.ScheduledMethod.class).on(named("run").and(takesArguments(0)))))
                .type(namedOneOf(AMQP_ADAPTERS))
                .transform((b, type, loader, module, domain) -> b.visit(Advice.to(WorkUnitAdvice.Message.class)
                        .on(named("onMessage").and(takesArguments(2))
                                .and(takesArgument(0, named("org.springframework.amqp.core.Message"))))))
                .type(named(AMQP_BATCH_ADAPTER))
                .transform((b, type, loader, module, domain) -> b.visit(Advice.to(WorkUnitAdvice.Message.class)
                        .on(named("onMessageBatch").and(takesArguments(2)))))
                .type(namedOneOf(KAFKA_RECORD_ADAPTER, KAFKA_BATCH_ADAPTER))
                .transform((b, type, loader, module, domain) -> b.visit(Advice.to(WorkUnitAdvice.Message.class)
                        .on(named("onMessage").and(takesArguments(3)).and(not(takesArgument(0, Object.class))))))
                .type(namedOneOf(JMS_ADAPTERS))
                .transform((b, type, loader, module, domain) -> b.visit(Advice.to(WorkUnitAdvice.Message.class)
                        .on(named("onMessage").and(takesArguments(2))
                                .and(takesArgument(0, named("jakarta.jms.Message"))))))
                // Quartz jobs: any class of the application's, so only in class loaders that can see Quartz, and
                // only classes that declare execute(JobExecutionContext) have their hierarchy looked at
                .type(declaresMethod(QUARTZ_EXECUTE).and(not(isInterface())).and(hasSuperType(named(QUARTZ_JOB))),
                        seesQuartz)
                .transform((b, type, loader, module, domain) -> b.visit(Advice.to(WorkUnitAdvice.Job.class)
                        .on(QUARTZ_EXECUTE)))
                .installOn(inst);
    }

    /**
     * What reaches Byte Buddy: the classes instrumented by name, and classes that declare or call a method taking a
     * {@code JobExecutionContext} in a loader that sees Quartz. The class file is read first: asking a loader for a
     * resource it lacks searches every jar it has (all of a Spring Boot fat jar's, for each throwaway loader
     * Spring and Hibernate make at startup), so only a class that may be a job costs a lookup, once per loader.
     */
    static ClassFilePrefilter.Filter prefilter(Set<String> named, SeesResource seesQuartz) {
        return (loader, name, classFile) -> named.contains(name)
                || ClassFilePrefilter.mentionsAny(classFile, QUARTZ_EXECUTE_DESCRIPTOR) && seesQuartz.matches(loader);
    }

    /** {@code Job.execute}'s descriptor: in the constant pool of every class that declares it. */
    private static final byte[][] QUARTZ_EXECUTE_DESCRIPTOR =
            ClassFilePrefilter.utf8("(Lorg/quartz/JobExecutionContext;)V");
    private static final String QUARTZ_JOB = "org.quartz.Job";
    private static final String QUARTZ_JOB_RESOURCE = "org/quartz/Job.class";
    private static final ElementMatcher.Junction<MethodDescription> QUARTZ_EXECUTE = named("execute")
            .and(not(isAbstract())).and(takesArguments(1))
            .and(takesArgument(0, named("org.quartz.JobExecutionContext")));

    /**
     * Class loaders that can see a class file (by resource, never by loading a class from a transformer), remembered
     * per loader without keeping it alive.
     */
    static final class SeesResource implements ElementMatcher<ClassLoader> {
        private final String resource;
        private final Map<ClassLoader, Boolean> seen = Collections.synchronizedMap(new WeakHashMap<>());

        SeesResource(String resource) {
            this.resource = resource;
        }

        @Override
        public boolean matches(ClassLoader loader) {
            if (loader == null) {
                return false;
            }
            Boolean sees = seen.get(loader);
            if (sees == null) {
                try {
                    sees = loader.getResource(resource) != null;
                } catch (RuntimeException e) {
                    sees = false;
                }
                seen.put(loader, sees);
            }
            return sees;
        }
    }

    /** {@code CompletableFuture}'s asynchronous steps, by where their function is and which interface it is. */
    private static DynamicType.Builder<?> asyncSteps(DynamicType.Builder<?> b, JavaConstant hook) {
        Object[][] first = {
                {TaskHooks.SUPPLIER, new String[]{"supplyAsync", "completeAsync"}},
                {TaskHooks.RUNNABLE, new String[]{"runAsync", "thenRunAsync"}},
                {TaskHooks.FUNCTION, new String[]{"thenApplyAsync", "thenComposeAsync", "exceptionallyAsync", "exceptionallyComposeAsync"}},
                {TaskHooks.CONSUMER, new String[]{"thenAcceptAsync"}},
                {TaskHooks.BIFUNCTION, new String[]{"handleAsync"}},
                {TaskHooks.BICONSUMER, new String[]{"whenCompleteAsync"}}};
        Object[][] second = {
                {TaskHooks.BIFUNCTION, new String[]{"thenCombineAsync"}},
                {TaskHooks.BICONSUMER, new String[]{"thenAcceptBothAsync"}},
                {TaskHooks.RUNNABLE, new String[]{"runAfterBothAsync", "runAfterEitherAsync"}},
                {TaskHooks.FUNCTION, new String[]{"applyToEitherAsync"}},
                {TaskHooks.CONSUMER, new String[]{"acceptEitherAsync"}}};
        for (Object[] step : first) {
            b = b.visit(stepAdvice(hook, (Integer) step[0], AsyncStepAdvice.class).on(namedOneOf((String[]) step[1])));
        }
        for (Object[] step : second) {
            b = b.visit(stepAdvice(hook, (Integer) step[0], AsyncStepAdvice.OnSecondArgument.class)
                    .on(namedOneOf((String[]) step[1]).and(not(isStatic()))));
        }
        return b;
    }

    private static Advice executorAdvice(JavaConstant hook, int kind) {
        return Advice.withCustomMapping().bind(TaskHook.class, hook).bind(TaskKind.class, kind).to(ExecutorAdvice.class);
    }

    private static Advice stepAdvice(JavaConstant hook, int kind, Class<?> advice) {
        return Advice.withCustomMapping().bind(TaskHook.class, hook).bind(TaskKind.class, kind).to(advice);
    }

    /** {@link TaskHooks#wrap}: see {@link #hook}. */
    static JavaConstant taskHook() throws ReflectiveOperationException {
        return hook("wrap", JavaConstant.MethodType.of(Object.class, Object.class, Object.class, int.class));
    }

    /** {@link TaskHooks#forkJoin}: see {@link #hook}. */
    static JavaConstant forkJoinHook() throws ReflectiveOperationException {
        return hook("forkJoin", JavaConstant.MethodType.of(Object.class, Object.class, int.class));
    }

    /**
     * {@code MethodHandles.publicLookup().findStatic(ClassLoader.getSystemClassLoader().loadClass(TASK_HOOKS), method,
     * type)}, as a chain of dynamic constants (JDK 11 and later class files, which every JDK class the agent
     * instruments is).
     */
    private static JavaConstant hook(String method, JavaConstant.MethodType type) throws ReflectiveOperationException {
        JavaConstant systemLoader = JavaConstant.Dynamic.ofInvocation(ClassLoader.class.getMethod("getSystemClassLoader"));
        JavaConstant hooks = JavaConstant.Dynamic.ofInvocation(ClassLoader.class.getMethod("loadClass", String.class),
                systemLoader, TASK_HOOKS);
        JavaConstant lookup = JavaConstant.Dynamic.ofInvocation(MethodHandles.class.getMethod("publicLookup"));
        return JavaConstant.Dynamic.ofInvocation(
                MethodHandles.Lookup.class.getMethod("findStatic", Class.class, String.class, MethodType.class),
                lookup, hooks, method, type);
    }
}

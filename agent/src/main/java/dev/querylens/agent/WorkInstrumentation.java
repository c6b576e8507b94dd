package dev.querylens.agent;

import dev.querylens.agent.advice.AsyncStepAdvice;
import dev.querylens.agent.advice.ExecutorAdvice;
import dev.querylens.agent.advice.ForkJoinAdvice;
import dev.querylens.agent.advice.TaskHook;
import dev.querylens.agent.advice.TaskKind;
import dev.querylens.agent.advice.WorkUnitAdvice;
import dev.querylens.agent.hooks.TaskHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
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
 * fork/join tasks ({@link TaskHookConstant}). The JVM resolves it once per instrumented class; each call afterwards is
 * a constant method handle call. If it cannot be resolved, the advice does nothing.
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

    static void install(Instrumentation inst, AdviceTypes advice) {
        TaskHookConstant hook = taskHook();
        // one advice for every executor method: the kind of task is bound per method it is inlined into
        Advice task = taskAdvice(advice, hook, 0, ExecutorAdvice.class);
        Advice.WithCustomMapping forkJoin = Advice.withCustomMapping()
                .bind(TaskHook.class, forkJoinHook(), MethodHandle.class);
        Advice fork = advice.to(forkJoin, ForkJoinAdvice.Fork.class);
        Advice handOver = advice.to(forkJoin, ForkJoinAdvice.HandOver.class);
        Advice run = advice.to(forkJoin, ForkJoinAdvice.Run.class);

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

        ElementMatcher.Junction<MethodDescription> quartzExecute = named("execute")
                .and(not(isAbstract())).and(takesArguments(1))
                .and(takesArgument(0, named("org.quartz.JobExecutionContext")));
        Advice message = advice.to(WorkUnitAdvice.Message.class);
        // every type below is matched by name, but for Quartz jobs: nothing else is described
        new Weaver(prefilter(named, seesQuartz))
                .rule(named(ABSTRACT_EXECUTOR_SERVICE), task.on(submitRunnable.or(submitCallable).or(invokeAllOrAny)))
                .rule(named(THREAD_POOL_EXECUTOR), task.on(execute))
                .rule(named(SCHEDULED_THREAD_POOL_EXECUTOR), task.on(scheduleRunnable.or(scheduleCallable)))
                .rule(namedOneOf(FORK_JOIN_POOL, THREAD_PER_TASK_EXECUTOR), task.on(execute.or(submitRunnable)
                        .or(scheduleRunnable).or(submitCallable).or(scheduleCallable).or(invokeAllOrAny)),
                        handOver.on(handOverTask))
                .rule(named(FORK_JOIN_TASK), fork.on(named("fork").and(takesArguments(0))),
                        // final int doExec() on Java 17, final void doExec() on 21 and later
                        run.on(named("doExec").and(takesArguments(0))))
                .rule(named(SIMPLE_ASYNC_TASK_EXECUTOR),
                        task.on(named("doExecute").and(takesArguments(Runnable.class))))
                .rule(named(COMPLETABLE_FUTURE), asyncSteps(advice, hook))
                .rule(named(SCHEDULED_METHOD_RUNNABLE),
                        advice.to(WorkUnitAdvice.ScheduledMethod.class).on(named("run").and(takesArguments(0))))
                .rule(namedOneOf(AMQP_ADAPTERS), message.on(named("onMessage").and(takesArguments(2))
                        .and(takesArgument(0, named("org.springframework.amqp.core.Message")))))
                .rule(named(AMQP_BATCH_ADAPTER), message.on(named("onMessageBatch").and(takesArguments(2))))
                .rule(namedOneOf(KAFKA_RECORD_ADAPTER, KAFKA_BATCH_ADAPTER),
                        message.on(named("onMessage").and(takesArguments(3)).and(not(takesArgument(0, Object.class)))))
                .rule(namedOneOf(JMS_ADAPTERS), message.on(named("onMessage").and(takesArguments(2))
                        .and(takesArgument(0, named("jakarta.jms.Message")))))
                // Quartz jobs: any class of the application's, so only in class loaders that can see Quartz, and
                // only classes that declare execute(JobExecutionContext) have their hierarchy looked at
                .rule(declaresMethod(quartzExecute).and(not(isInterface())).and(hasSuperType(named(QUARTZ_JOB))),
                        seesQuartz, advice.to(WorkUnitAdvice.Job.class).on(quartzExecute))
                .install(inst, c -> named.contains(c.getName().replace('.', '/'))
                        || seesQuartz.matches(c.getClassLoader()) && !c.isInterface()
                        && Weaver.hasSuperTypeNamed(c, QUARTZ_JOBS));
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
    private static final Set<String> QUARTZ_JOBS = Set.of(QUARTZ_JOB);
    private static final String QUARTZ_JOB_RESOURCE = "org/quartz/Job.class";

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

    /** {@code CompletableFuture}'s asynchronous steps, by where their function is. */
    private static AsmVisitorWrapper[] asyncSteps(AdviceTypes advice, TaskHookConstant hook) {
        String[] functions = TASK_KINDS.keySet().toArray(new String[0]);
        return new AsmVisitorWrapper[] {
                taskAdvice(advice, hook, 0, AsyncStepAdvice.class).on(namedOneOf(FIRST_ARGUMENT_STEPS)
                        .and(takesArgument(0, namedOneOf(functions)))),
                taskAdvice(advice, hook, 1, AsyncStepAdvice.OnSecondArgument.class)
                        .on(namedOneOf(SECOND_ARGUMENT_STEPS).and(not(isStatic()))
                                .and(takesArgument(1, namedOneOf(functions))))};
    }

    /** The steps whose function is their first argument, and those whose function follows the other stage. */
    static final String[] FIRST_ARGUMENT_STEPS = {"supplyAsync", "completeAsync", "runAsync", "thenRunAsync",
            "thenApplyAsync", "thenComposeAsync", "exceptionallyAsync", "exceptionallyComposeAsync", "thenAcceptAsync",
            "handleAsync", "whenCompleteAsync"};
    static final String[] SECOND_ARGUMENT_STEPS = {"thenCombineAsync", "thenAcceptBothAsync",
            "runAfterBothAsync", "runAfterEitherAsync", "applyToEitherAsync", "acceptEitherAsync"};

    /** {@link TaskHooks}'s kind of task, by the type of the parameter that holds it. */
    static final Map<String, Integer> TASK_KINDS = Map.of(
            "java.lang.Runnable", TaskHooks.RUNNABLE,
            "java.util.concurrent.Callable", TaskHooks.CALLABLE,
            "java.util.Collection", TaskHooks.CALLABLES,
            "java.util.function.Supplier", TaskHooks.SUPPLIER,
            "java.util.function.Function", TaskHooks.FUNCTION,
            "java.util.function.BiFunction", TaskHooks.BIFUNCTION,
            "java.util.function.Consumer", TaskHooks.CONSUMER,
            "java.util.function.BiConsumer", TaskHooks.BICONSUMER);

    /**
     * {@code advice} with its {@link TaskHook} and its {@link TaskKind}, the kind bound per method it is inlined
     * into: one parsed advice serves every executor method or every step (parsing an advice is a good part of the
     * agent's start).
     */
    private static Advice taskAdvice(AdviceTypes advice, TaskHookConstant hook, int argument, Class<?> adviceClass) {
        return advice.to(Advice.withCustomMapping().bind(TaskHook.class, hook, MethodHandle.class)
                .bind(TaskKind.class, new KindOfTask(argument)), adviceClass);
    }

    /** Binds the kind of the task in parameter {@code argument} of the instrumented method. */
    record KindOfTask(int argument) implements Advice.OffsetMapping {
        @Override
        public Target resolve(TypeDescription instrumentedType, MethodDescription instrumentedMethod, Assigner assigner,
                              Advice.ArgumentHandler argumentHandler, Sort sort) {
            return Target.ForStackManipulation.of(kind(instrumentedMethod.getName(),
                    instrumentedMethod.getParameters().get(argument).getType().asErasure().getName()));
        }

        /** {@code execute(Runnable)} hands its task over as it is ({@link TaskHooks#EXECUTED}); else by type. */
        static int kind(String method, String parameterType) {
            if (method.equals("execute")) {
                return TaskHooks.EXECUTED;
            }
            Integer kind = TASK_KINDS.get(parameterType);
            if (kind == null) {
                throw new IllegalStateException("no kind of task for " + method + "(" + parameterType + ")");
            }
            return kind;
        }
    }

    /** {@link TaskHooks#wrap}: see {@link TaskHookConstant}. */
    static TaskHookConstant taskHook() {
        return new TaskHookConstant(TASK_HOOKS, "wrap", "(Ljava/lang/Object;Ljava/lang/Object;I)Ljava/lang/Object;");
    }

    /** {@link TaskHooks#forkJoin}: see {@link TaskHookConstant}. */
    static TaskHookConstant forkJoinHook() {
        return new TaskHookConstant(TASK_HOOKS, "forkJoin", "(Ljava/lang/Object;I)Ljava/lang/Object;");
    }
}

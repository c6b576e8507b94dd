package dev.querylens.testapps.work;

import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;

import java.util.concurrent.CompletableFuture;

/** The {@code @Async} N+1, run by Spring on its task executor. */
@Service
public class ReportService {

    private final Library library;

    public ReportService(Library library) {
        this.library = library;
    }

    @Async("reportExecutor")
    public CompletableFuture<Integer> report() {
        return CompletableFuture.completedFuture(library.report());
    }
}

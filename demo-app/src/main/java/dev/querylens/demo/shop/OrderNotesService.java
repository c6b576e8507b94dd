package dev.querylens.demo.shop;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Staff notes on an order, added a checklist at a time. The first version writes them one INSERT per note, as a
 * loop over {@code update} (or {@code save()} without {@code hibernate.jdbc.batch_size}) does: one round trip per row.
 * The fixed version sends the same INSERTs as one JDBC batch.
 */
@Service
@Transactional
public class OrderNotesService {

    public static final int MAX_NOTES = 50;
    private static final String INSERT = "insert into order_notes (order_id, note, created_at) values (?, ?, ?)";

    private final JdbcTemplate jdbc;

    public OrderNotesService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Unbatched: one statement per note. */
    public int addChecklist(long orderId, int notes) {
        Timestamp now = Timestamp.valueOf(LocalDateTime.now());
        int written = 0;
        for (int i = 1; i <= bounded(notes); i++) {
            written += jdbc.update(INSERT, orderId, "checklist item " + i, now);
        }
        return written;
    }

    /** The fix: the same rows in one JDBC batch. */
    public int addChecklistBatched(long orderId, int notes) {
        Timestamp now = Timestamp.valueOf(LocalDateTime.now());
        List<Object[]> rows = new ArrayList<>();
        for (int i = 1; i <= bounded(notes); i++) {
            rows.add(new Object[]{orderId, "checklist item " + i, now});
        }
        int written = 0;
        for (int n : jdbc.batchUpdate(INSERT, rows)) {
            written += n == java.sql.Statement.SUCCESS_NO_INFO ? 1 : n;
        }
        return written;
    }

    private static int bounded(int notes) {
        return Math.max(1, Math.min(notes, MAX_NOTES));
    }
}

package dev.mailroom.store;

import java.sql.SQLException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Recognises a statement the schema's constraints refused. Services check for clashes (a name
 * taken) before writing, to answer in words; a concurrent writer can still win between the check
 * and the write, and then the constraint is what decides.
 */
public final class Constraints {
    private Constraints() {}

    /** An integrity constraint refused the statement (SQLSTATE class 23: unique, foreign key...). */
    public static boolean violated(UnableToExecuteStatementException e) {
        return e.getCause() instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23");
    }
}

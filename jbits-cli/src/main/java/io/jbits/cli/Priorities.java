package io.jbits.cli;

import io.jbits.api.JobType;
import io.jbits.api.Priority;
import picocli.CommandLine;

/** Reads {@code --priority} values in any case, with the accepted names in the error. */
final class Priorities implements CommandLine.ITypeConverter<Priority> {
    @Override
    public Priority convert(String value) {
        try {
            return Priority.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /** Reads {@code --type} values. */
    static final class Types implements CommandLine.ITypeConverter<JobType> {
        @Override
        public JobType convert(String value) {
            try {
                return JobType.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}

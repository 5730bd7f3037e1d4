/**
 * Aliases: named pointers such as {@code stable} or {@code canary} from a model to one of its
 * PUBLISHED (or DEPRECATED) versions, plus the computed {@code latest}. Every move appends an entry
 * (who, when, from, to) to the alias's history in the same store transaction as the move and its
 * audit event; entries are never changed, so "what did {@code stable} point to at time D" is
 * answered from the history. Keys live under the model's key (see {@link
 * dev.agora.registry.aliases.AliasKeys}).
 */
package dev.agora.registry.aliases;

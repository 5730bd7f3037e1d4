package dev.agora.registry.store;

/**
 * The outcome of a transaction.
 *
 * @param succeeded whether every compare held and the operations were applied
 * @param revision the store revision after the transaction: the new revision when it changed
 *     something, otherwise the revision it observed
 */
public record TxnResult(boolean succeeded, long revision) {}

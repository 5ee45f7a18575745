/**
 * A party's own columns, from raw cells to the encoded matrix the trainers use: {@link
 * io.jointly.lr.features.RawTable} (text cells; missing = null, blank, {@code NA}, {@code N/A},
 * {@code NaN}, {@code NULL}), {@link io.jointly.lr.features.FeatureTransform} with its {@link
 * io.jointly.lr.features.TransformSpec} and stored {@link io.jointly.lr.features.ColumnTransform}
 * records (numeric → standardised, missing → training mean plus an indicator; categorical →
 * one-hot over frequent levels, rarer → {@code __other__}), and {@link
 * io.jointly.lr.features.FeatureMatrix} (dense, row-major; {@code times} = partial scores, {@code
 * transposeTimes} = a gradient block).
 *
 * <p>Security model: local computation only, nothing here touches a channel or a key. Each party
 * fits its transform on its own training rows; the fitted statistics (means, standard deviations,
 * category levels) never leave their owner, and are stored with its model to encode the same way
 * at scoring. Error messages name rows and columns, never cell values.
 *
 * <p>Thread-safety: tables, transforms and matrices are immutable and thread-safe.
 */
package io.jointly.lr.features;

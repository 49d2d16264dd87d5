-- Custom SQL migration (drizzle-kit generate --custom): a trigram full-text index over order
-- references and buyer PO numbers, so "text on references" searches (q=0123) use an index instead of
-- scanning every order. Kept in step with `orders` by triggers; the order id is stored, not the rowid,
-- because VACUUM may renumber the rowids of a table without an INTEGER PRIMARY KEY.
CREATE VIRTUAL TABLE `order_search` USING fts5(`order_id` UNINDEXED, `org_id` UNINDEXED, `reference`, `buyer_po`, tokenize = 'trigram');
--> statement-breakpoint
INSERT INTO `order_search` (`order_id`, `org_id`, `reference`, `buyer_po`) SELECT `id`, `org_id`, `reference`, `buyer_po` FROM `orders`;
--> statement-breakpoint
CREATE TRIGGER `orders_search_insert` AFTER INSERT ON `orders` BEGIN
  INSERT INTO `order_search` (`order_id`, `org_id`, `reference`, `buyer_po`) VALUES (new.`id`, new.`org_id`, new.`reference`, new.`buyer_po`);
END;
--> statement-breakpoint
CREATE TRIGGER `orders_search_update` AFTER UPDATE ON `orders`
WHEN old.`reference` IS NOT new.`reference` OR old.`buyer_po` IS NOT new.`buyer_po` BEGIN
  DELETE FROM `order_search` WHERE `order_id` = old.`id`;
  INSERT INTO `order_search` (`order_id`, `org_id`, `reference`, `buyer_po`) VALUES (new.`id`, new.`org_id`, new.`reference`, new.`buyer_po`);
END;
--> statement-breakpoint
CREATE TRIGGER `orders_search_delete` AFTER DELETE ON `orders` BEGIN
  DELETE FROM `order_search` WHERE `order_id` = old.`id`;
END;

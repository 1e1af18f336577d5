-- Top tokens by number of transfers in the snapshot's last 7 days.
select symbol, count(*) as transfers
from tokens.transfers
where block_time > snapshot_time() - interval 7 day
group by symbol
order by transfers desc
limit 10;

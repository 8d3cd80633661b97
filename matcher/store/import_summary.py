"""The import outcome in the words staff use (Chinese): counts, what was skipped, merged people, warnings, errors."""
from __future__ import annotations

from matcher.store.imports import ImportResult

KIND_NOUNS = {"talents": "人", "jobs": "个岗位", "employers": "家单位", "workstations": "个工作站", "events": "条记录"}
MERGE_RULE = ("合并规则：表中非空的新值覆盖旧值，空格不清除已有内容；人员仍属原工作站，两个工作站的关联都保留")


def summary_lines(result: ImportResult, max_warnings: int = 50) -> list[str]:
    """Lines for the CLI and the logs; personal data never appears (errors are already masked)."""
    noun = KIND_NOUNS.get(result.kind, "条")
    prefix = "【预览，未写入】" if result.dry_run else ""
    if result.ok:
        verb = "将" if result.dry_run else "已"
        lines = [f"{prefix}{result.file}：共{result.rows}行，{verb}新增{result.inserted}{noun}，"
                 f"{verb}更新{result.changed}{noun}，{result.unchanged}{noun}无变化"]
    else:
        lines = [f"{prefix}{result.file}：未导入任何数据 — {len(result.errors)}处错误，涉及{result.rejected}行；"
                 "改正后重新导入"]
    if result.generated_ids:
        lines.append(f"表中无编号的{result.generated_ids}{noun}按身份信息生成了编号（同一人/岗位再次导入时编号不变）")
    lines += result.notes
    for duplicate in result.duplicates:
        if not duplicate.merged:
            lines.append(f"第{duplicate.row}行（编号{duplicate.sheet_id}）与已登记的{duplicate.talent_id}身份证号相同："
                         "按表中编号另存为一条；如是同一人，删去编号列再导入即可合并")
            continue
        lines.append(f"第{duplicate.row}行与已登记的{duplicate.talent_id}是同一人（按{duplicate.matched_by}），"
                     f"原由“{duplicate.stored_workstation}”登记，本表来自“{duplicate.workstation}”：已合并")
    if any(duplicate.merged for duplicate in result.duplicates):
        lines.append(MERGE_RULE)
    warnings = result.warning_messages()
    if warnings:
        lines.append(f"提示{len(warnings)}处（已导入，但以下内容未能识别）：")
        lines += warnings[:max_warnings]
        if len(warnings) > max_warnings:
            lines.append(f"……另有{len(warnings) - max_warnings}处提示，见检查报告（--report）")
    if result.report:
        lines.append(f"检查报告（标出问题单元格的副本）：{result.report}")
    return lines
